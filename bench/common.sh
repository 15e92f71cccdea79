# Shared by the benchmark scripts (sourced): summaries over repeats, and the speed table's batch per model.
# STATS_DIGITS (default 2) sets the decimals median and range print.
median() { printf '%s\n' "$@" | sort -g | awk -v d="${STATS_DIGITS:-2}" '{a[NR]=$1} END {printf "%." d "f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
range() { printf '%s\n' "$@" | sort -g | awk -v d="${STATS_DIGITS:-2}" 'NR==1{lo=$1} {hi=$1} END {printf "%." d "f-%." d "f", lo, hi}'; }
# LeNet-5 and Conv-4 at 60 (Frankle and Carbin), ResNet-20 and ViT-small at 128 (notebook 07), the MLP at 1,024.
batch_of() { case $1 in resnet20|vit-small) echo 128 ;; mlp1200) echo 1024 ;; *) echo 60 ;; esac; }
# A field "name=value" of a benchmark's output line (numbers, or a hex digest).
field() { sed -n "s#.* $1=\([0-9a-f.]*\).*#\1#p"; }
# Timed steps per run: $steps when set, else 60 for the small convnets and 10 for the rest.
timed_steps() { if [ -n "${steps:-}" ]; then echo "$steps"; else case $1 in lenet5|conv4) echo 60 ;; *) echo 10 ;; esac; fi; }
