#!/bin/sh
# Replay the DKIM key record parser's fuzz corpus.
exec "${top_builddir:-.}/t/fuzz/dkim_fuzz" "${top_srcdir:-.}/t/fuzz/corpus/dkim"
