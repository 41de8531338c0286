"""What a server process does once its application is loaded: freeze the objects it holds so far.

CPython's garbage collector walks, now and then, every tracked object of the oldest generation to find cycles. A
loaded portal holds a few hundred thousand of them (Django, the apps, their URLconf, forms, templates), none of
which will ever be garbage; walking them took 120 ms, once every few dozen requests, and that pause was the slowest
page of the scale bench at 10 M invoices (a supplier-name search at 23 ms, 140 ms on the run the collection fell
on). `gc.freeze()` moves them into a permanent generation the collector skips, so a collection walks only what the
requests made since.
"""

import gc
from importlib import import_module

from django.conf import settings


def figer_le_demarrage():
    # the URLconf imports every app's views, forms and selectors: loaded now, frozen with the rest
    import_module(settings.ROOT_URLCONF)
    gc.collect()
    gc.freeze()
