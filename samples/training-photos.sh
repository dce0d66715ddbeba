#!/usr/bin/env bash
# Lists the real photographs that Debian's wallpaper and sample packages install, one path a line: a
# manifest for `neural-style train --photos` (docs/fast-painters.md). Leaves out the test images and
# drawings among them, and opencv-doc's copy of The Starry Night, a painting the painters are measured on.
set -euo pipefail
{
  dpkg -L mate-backgrounds ukui-wallpapers gnome-backgrounds 2>/dev/null | grep -iE '\.(jpe?g|png|webp)$'
  # Plasma ships each wallpaper at several sizes: its largest file only.
  for folder in $(dpkg -L plasma-workspace-wallpapers | grep -iE '\.(jpe?g|png)$' | sed 's|/contents/.*||' | sort -u); do
    ls -S "$folder"/contents/images/* 2>/dev/null | head -1
  done
  dpkg -L python3-skimage | grep -E '/skimage/data/[^/]*\.(png|jpg)$'
  dpkg -L opencv-doc | grep -iE '/examples/data/[^/]*\.jpe?g$'
} | grep -vE '/(starry_night|block|bw_text|checker_bilevel|chessboard_[A-Z]+|foo3x5x4indexed|green_palette|palette_[a-z]+|page|text|logo|phantom|clock_motion|color|cell)\.(png|jpg)$' \
  | while read -r f; do if [ -f "$f" ]; then echo "$f"; fi; done | sort -u
