#!/usr/bin/env bash
# Runs the shipped GitHub workflows on this machine, job by job and step by step, as GitHub
# would (npm run workflow:local), and checks what they produce:
#   1. grade-class.yml over two submissions: alice's holds the reference solution, bob's the
#      untouched stub. The class CSV must show alice with points and bob with none.
#   2. autograding.yml on this repository (the stub): the Classroom reporter must total
#      0 points and fail the job, as it would on GitHub.
# Services: url, with a redis-server and a postgres started for each job (as GitHub's service
# containers would be), so the fault-injection tests are skipped and alice's grade is PARTIAL.
# On GitHub the workflows use --services docker and run every test.
# Needs: node, git, redis-server, postgres, and the npm registry (each job runs npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
challenge=rate-limiter
work=$(mktemp -d "${TMPDIR:-/tmp}/katas-workflows-XXXXXX")
trap 'rm -rf "$work"' EXIT

submission() { # name, then the files to put in challenges/$challenge/src
  local name=$1; shift
  local dir="$work/submissions/$name"
  mkdir -p "$dir/challenges/$challenge/src"
  cp "$@" "$dir/challenges/$challenge/src/"
  git -C "$dir" init --quiet --initial-branch=main
  git -C "$dir" add .
  git -C "$dir" -c user.name=katas -c user.email=katas@example.invalid commit --quiet -m "$name's submission"
}
submission alice solutions/$challenge/index.ts solutions/$challenge/sliding-log.lua
# The reference imports its types from the stub's path; in a learner's src that is a sibling.
cp challenges/$challenge/src/index.ts "$work/submissions/alice/challenges/$challenge/src/stub-types.ts"
sed -i "s#\"../../challenges/$challenge/src/index.ts\"#\"./stub-types.ts\"#" "$work/submissions/alice/challenges/$challenge/src/index.ts"
git -C "$work/submissions/alice" add . && git -C "$work/submissions/alice" -c user.name=katas -c user.email=katas@example.invalid commit --quiet -m types
submission bob challenges/$challenge/src/index.ts

echo "==> grade-class.yml: class/alice and class/bob × $challenge"
npm run --silent workflow:local -- classroom/workflows/grade-class.yml \
  --input 'submissions=["class/alice","class/bob"]' --input "challenges=[\"$challenge\"]" \
  --repo "class/alice=$work/submissions/alice" --repo "class/bob=$work/submissions/bob" \
  --work-dir "$work/class" | tee "$work/class.log"
csv="$work/class/artifacts/class-report/class-report.csv"
test -s "$work/class/artifacts/class-report/class-report.html" || { echo "no class HTML report" >&2; exit 1; }
cat "$csv"
grep -Eq "^class/alice,(passed|partial),([1-9][0-9]*)," "$csv" || { echo "alice (the reference) should have points" >&2; exit 1; }
grep -Eq "^class/bob,not passed,0,0," "$csv" || { echo "bob (the stub) should have 0 points" >&2; exit 1; }

echo "==> autograding.yml on this repository (the stub: the reporter must fail the job with 0 points)"
set +e
npm run --silent workflow:local -- classroom/workflows/autograding.yml --work-dir "$work/push" > "$work/push.log" 2>&1
code=$?
set -e
grep -E "^-- step|^== job|Total points|Some tests failed" "$work/push.log"
if [ "$code" -ne 1 ] || ! grep -Eq "Total points: 0/[1-9]" "$work/push.log"; then
  echo "autograding.yml: expected exit 1 and 0 points (exit $code); log follows" >&2
  cat "$work/push.log" >&2
  exit 1
fi
for report in report.json junit.xml report.html classroom.json; do
  test -s "$work/push/artifacts/katas-report/$report" || { echo "autograding.yml uploaded no $report" >&2; exit 1; }
done
echo "Both workflows ran locally as expected."
