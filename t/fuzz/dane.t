#!/bin/sh
# Replay the DANE matcher's fuzz corpus.
exec "${top_builddir:-.}/t/fuzz/dane_fuzz" "${top_srcdir:-.}/t/fuzz/corpus/dane"
