from pathlib import Path

# CI clone le dépôt avec shared/ à côté : le corpus est à ../shared/corpus depuis la racine du dépôt.
RACINE_DEPOT = Path(__file__).resolve().parents[3]
CORPUS = RACINE_DEPOT.parent / "shared" / "corpus"
