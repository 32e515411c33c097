#!/bin/sh
# Replay the MTA-STS / TLS-RPT parsers' fuzz corpus.
exec "${top_builddir:-.}/t/fuzz/sts_fuzz" "${top_srcdir:-.}/t/fuzz/corpus/sts"
