"""The API searches the benches time beyond the two main ones (bench/api.py with BENCH_TOUS=1, bench/echelle.py),
each with the demo account that has rows to see: 0 the demo supplier (also a validator of the co-contracting
invoices), 1 the demo commune."""

AUTRES = [
    ("rechercher/atraiter/recipiendaire p1", "/cpro/factures/v1/rechercher/atraiter/recipiendaire", 1),
    ("rechercher/atraiter/fournisseur p1", "/cpro/factures/v1/rechercher/atraiter/fournisseur", 0),
    ("rechercher/demandePaiement p1", "/cpro/factures/v1/rechercher/demandePaiement", 1),
    ("rechercher/valideur p1", "/cpro/factures/v1/rechercher/valideur", 0),
    ("rechercher/atraiter/valideur p1", "/cpro/factures/v1/rechercher/atraiter/valideur", 0),
    ("facturesTravaux/rechercher p1", "/cpro/facturesTravaux/v1/rechercher", 0),
]
