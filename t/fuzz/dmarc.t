#!/bin/sh
# Replay the DMARC record parser's fuzz corpus.
exec "${top_builddir:-.}/t/fuzz/dmarc_fuzz" "${top_srcdir:-.}/t/fuzz/corpus/dmarc"
