from tests.facturation.recues.conftest import client_agent, monde  # noqa: F401 (fixtures shared with Factures reçues)
