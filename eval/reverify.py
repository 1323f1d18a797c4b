"""Re-score a run's drafts with the code as it is now: no model, about a minute
(service/evaluation/reverify.py says when that is valid).

    .venv/bin/python eval/reverify.py --set hard:report --run eval/runs/A --index eval/runs/fixed-index \
        --out eval/runs/A-now
    .venv/bin/newsdesk eval compare eval/runs/A eval/runs/A-now
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from service.evaluation.questions import load_question_set
from service.evaluation.report import write_report
from service.evaluation.reverify import reverify
from service.evaluation.runner import EvalRunner, git_commit
from service.settings import Settings
from service.wiring import Services


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="question_set", required=True, help="as for `newsdesk eval run --set`")
    parser.add_argument("--run", type=Path, required=True, help="an `eval run` folder with results.jsonl")
    parser.add_argument("--index", type=Path, required=True, help="the index the run used")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    qset = load_question_set(args.question_set)
    stored = [json.loads(line) for line in (args.run / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    services = Services(Settings().model_copy(update={"data_dir": args.index}))
    records, moved = reverify(EvalRunner(services, qset, args.out), qset, stored)
    args.out.mkdir(parents=True, exist_ok=True)
    run_info = json.loads((args.run / "run.json").read_text()) | {"git_commit": git_commit(),
                                                                   "reverified_from": str(args.run)}
    (args.out / "run.json").write_text(json.dumps(run_info, indent=2))
    with (args.out / "results.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, default=str) + "\n")
    write_report(args.out, records)
    print(f"{len(records) - len(moved)} of {len(records)} re-scored; retrieval or prompt moved since the run, "
          f"kept as they were: {' '.join(moved) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
