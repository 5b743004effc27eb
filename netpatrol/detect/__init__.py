"""Detection: what a listing is (wildlife, medicine, counterfeit, drugs, weapons, benign)
and why: lexicon detectors, one per category, and a trained model that weighs them."""
