"""Leaves of the package: helpers every stage uses that import nothing else of zhmine.

    spans       the span and doc extensions, and the cheap ways to read and write them
    hanzi       traditional -> simplified (one OpenCC converter), offsets kept
    numerals    Arabic, Chinese and mixed numerals to numbers
    rules       the data files of patterns/, loaded once
    regextools  trie alternations of words, and alternations searched only where a branch can start
"""
