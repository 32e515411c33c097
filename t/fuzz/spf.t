#!/bin/sh
# Replay the SPF parser's fuzz corpus.
exec "${top_builddir:-.}/t/fuzz/spf_fuzz" "${top_srcdir:-.}/t/fuzz/corpus/spf"
