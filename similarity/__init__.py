"""How alike two Chinese texts about the institute's work are: word segmentation (jieba,
which ships its dictionary) and character bigrams, weighted by TF-IDF and compared by
cosine. Pure text: no model, no query, nothing read from the network.

``text.py`` holds the features and the scores, ``lexicon.py`` the domain's stop words,
synonyms and words. The labelled pairs that measure it are ``docs/data/similar_pairs.csv``;
``scripts/similarity_quality.py`` prints its precision and recall (``docs/similarity.md``).
"""
