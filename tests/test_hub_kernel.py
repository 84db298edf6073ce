"""The learners' kernel on the hub (innovation_course.classroom.hub.kernel): the stock Python kernel spec,
launched without debugpy; the kernel runs code, reports no debugger and has the working folder on its path as
ipykernel_launcher's kernels do. Its CPU: benchmarks/kernel_start.py and benchmarks/hub_load.py."""

from __future__ import annotations

import json

import pytest
from jupyter_client.manager import KernelManager

from innovation_course.classroom.hub.kernel import COURSE, CourseKernelSpecs, course_argv


@pytest.mark.parametrize("argv, expected", [
    (["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
     ["python", "-m", COURSE, "-f", "{connection_file}"]),
    (["/opt/py/bin/python3.11", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
     ["/opt/py/bin/python3.11", "-Xfrozen_modules=off", "-m", COURSE, "-f", "{connection_file}"]),
    (["R", "--slave", "-e", "IRkernel::main()", "--args", "{connection_file}"],  # another kernel: unchanged
     ["R", "--slave", "-e", "IRkernel::main()", "--args", "{connection_file}"]),
    (["python", "ipykernel_launcher", "-m"], ["python", "ipykernel_launcher", "-m"]),  # not "-m ipykernel_launcher"
])
def test_only_the_stock_launcher_is_replaced(argv, expected):
    assert course_argv(argv) == expected


def test_the_course_kernel_runs_without_debugpy_and_with_the_working_folder(tmp_path):
    (tmp_path / "local_module.py").write_text("VALUE = 42\n")  # a learner's own module beside the notebook
    km = KernelManager(kernel_name="python3", kernel_spec_manager=CourseKernelSpecs())
    km.start_kernel(cwd=str(tmp_path))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        assert km.kernel_spec.argv[1:3] == ["-m", COURSE]
        info = kc.kernel_info(reply=True, timeout=60)["content"]
        assert info["status"] == "ok" and not info.get("debugger")  # JupyterLab's debugger button disabled
        outputs = []
        code = ("import sys, json, local_module\n"
                "print(json.dumps([sys.modules.get('debugpy') is None, 'ipykernel' in sys.modules,"
                " local_module.VALUE]))")
        reply = kc.execute_interactive(code, timeout=60, output_hook=outputs.append)
        assert reply["content"]["status"] == "ok"
        text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
        assert json.loads(text) == [True, True, 42]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
