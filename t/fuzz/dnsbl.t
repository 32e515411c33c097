#!/bin/sh
# Replay the DNSBL answer classifier's fuzz corpus.
exec "${top_builddir:-.}/t/fuzz/dnsbl_fuzz" "${top_srcdir:-.}/t/fuzz/corpus/dnsbl"
