#!/bin/sh
# Replay lib/mx's fuzz corpus (greetings, MX answers, trap globs).
exec "${top_builddir:-.}/t/fuzz/mx_fuzz" "${top_srcdir:-.}/t/fuzz/corpus/mx"
