#!/usr/bin/env python3
"""Writes small pytorch_model.bin-format files for the reader's tests (under a second), beside this script in pytorch/:

  views.bin      torch.save of a state dict whose tensors are views: a transposed matrix (strides (1, 3)), a slice
                 at a storage offset, two tensors sharing one storage, F16 and BF16 tensors, a 0-d tensor and an
                 nn.Parameter; views.json holds each tensor's shape and values in row-major order.
  os-system.bin  a zip laid out as torch.save lays it out, whose data.pkl calls os.system when unpickled: the reader
                 must refuse it without running it.
  list.bin       torch.save of a list of tensors, which is not a state dict.
  legacy.bin     torch.save in the format before torch 1.6 (_use_new_zipfile_serialization=False), not a zip archive.

Run from the repository root: python3 Tests/TernMarianTests/Fixtures/make_pytorch_files.py (torch, CPU).
"""
import json
import os
import pickle
import zipfile
from collections import OrderedDict
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent / "pytorch"


class CallsSystem:
    def __reduce__(self):
        return (os.system, ("echo this must never run",))


def main() -> None:
    HERE.mkdir(exist_ok=True)
    base = torch.arange(12, dtype=torch.float32) / 4 - 1
    shared = torch.arange(10, dtype=torch.float32) * 0.5
    state = OrderedDict(
        transposed=base[:6].reshape(2, 3).t(),
        offset_slice=base[5:11].reshape(3, 2),
        shared_a=shared[:4],
        shared_b=shared[4:].reshape(2, 3),
        half=torch.tensor([[0.5, -1.25], [3.0, 65504.0]], dtype=torch.float16),
        bfloat=torch.tensor([1.5, -2.0, 1e10], dtype=torch.bfloat16),
        scalar=torch.tensor(7.25),
        parameter=torch.nn.Parameter(torch.ones(2, 2) * 0.75),
    )
    assert not state["transposed"].is_contiguous() and state["offset_slice"].storage_offset() == 5
    torch.save(state, HERE / "views.bin")
    expected = {name: {"shape": list(tensor.shape), "values": tensor.detach().float().reshape(-1).tolist()}
                for name, tensor in state.items()}
    (HERE / "views.json").write_text(json.dumps(expected, indent=1) + "\n")

    with zipfile.ZipFile(HERE / "os-system.bin", "w", compression=zipfile.ZIP_STORED) as archive:
        fixed = (1980, 1, 1, 0, 0, 0)  # a fixed time, so that the file is the same on every run
        archive.writestr(zipfile.ZipInfo("os-system/data.pkl", fixed), pickle.dumps(OrderedDict(weight=CallsSystem()), protocol=2))
        archive.writestr(zipfile.ZipInfo("os-system/version", fixed), "3\n")

    torch.save([torch.zeros(2)], HERE / "list.bin")
    torch.save(OrderedDict(weight=torch.ones(2)), HERE / "legacy.bin", _use_new_zipfile_serialization=False)
    print(sorted((path.name, path.stat().st_size) for path in HERE.iterdir()))


if __name__ == "__main__":
    main()
