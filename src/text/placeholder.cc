// The text layer's sources live beside this file (utf8, normalise, segmenter, tokenizer).
