"""An English→Arabic MT model run with CTranslate2: likelihood of the delivered Arabic,
improbable passages, fresh translations and back-translation chrF.

The model is a *converted* CTranslate2 folder (``mtaudit models convert``, see
:func:`convert_model`) holding ``model.bin``, ``config.json``, the vocabulary and the
sentencepiece model(s). Two layouts are recognised from the tokenizer files:

``marian`` (OPUS-MT, e.g. Helsinki-NLP/opus-mt-en-ar or opus-mt-tc-big-en-ar)
    ``source.spm`` tokenizes the source, ``target.spm`` the target. The source ends with
    ``</s>``. Multi-target models, whose vocabulary has tokens such as ``>>ara<<``, get the
    token for the target language in front of the source (``>>arb<<`` or ``>>ara<<`` for
    ``arb_Arab``; choose another with ``target_token=``).

``shared`` (NLLB-200, also M2M-100 and mBART-50)
    one ``sentencepiece.bpe.model`` for both sides. The source is
    ``[src_lang] pieces </s>`` and the target starts with the ``tgt_lang`` token, as the
    CTranslate2 documentation does for NLLB. Codes are NLLB's (``eng_Latn``,
    ``arb_Arab``); the M2M-100 (``__ar__``) and mBART (``ar_AR``) spellings are found in
    the vocabulary when the model uses those.

The direction is a parameter: ``load_mt_model(path, src_lang="arb_Arab",
tgt_lang="eng_Latn")`` loads an Arabic→English model for :func:`back_translate_chrf`.

What the scorer reports (:meth:`MTModel.score`, scorer name ``mt-model``):

* ``mt_logprob`` per unit: the mean natural-log probability of the target's tokens given
  the source under forced decoding (``Translator.score_batch``). The end-of-sentence token
  is left out: units are sentences cut by mtaudit's segmenter and aligned to source
  sentences, and where those boundaries disagree the model's surprise at the sentence
  ending says nothing about the words. Closer to 0 is more likely; values are comparable
  only between runs with the same model and compute type (see the signature).
* findings ``mt-improbable`` (fluency, minor, confidence 0.3): runs of tokens whose
  log-probability is below ``improbable_logprob`` (default −6, i.e. the model gave the
  token less than 0.25 % probability), widened to whole words and merged when only
  whitespace separates them.

Nothing here needs torch or transformers; converting a model does (:func:`.convert.convert_model`).
ctranslate2 and sentencepiece are the ``mt`` extra (``pip install "mtaudit[mt]"``).

Modules: :mod:`.tokens` (pieces placed in the text, improbable runs), :mod:`.model` (the
loaded model: scores, translation, back-translation, re-translations), :mod:`.load`
(folder and tokenizers → :class:`.model.MTModel`), :mod:`.convert` (Hugging Face → CTranslate2).
"""
