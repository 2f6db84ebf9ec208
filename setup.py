"""setuptools glue for pyproject.toml: build_ext runs the project's CMake to
build the pybind11 module _lockstep and puts it into the package."""
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("LOCKSTEP_BUILD_DIR")
        if build_dir:
            build_dir = os.path.abspath(build_dir)
        else:
            build_dir = os.path.abspath(os.path.join(self.build_temp, "cmake"))
            os.makedirs(build_dir, exist_ok=True)
            config = [
                "cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                "-DLOCKSTEP_BUILD_PYTHON=ON", "-DLOCKSTEP_BUILD_TESTS=OFF", "-DLOCKSTEP_BUILD_BENCH=OFF",
                f"-DPython3_EXECUTABLE={sys.executable}",
            ]
            if shutil.which("ccache"):
                config.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
            subprocess.run(config, check=True)
        jobs = os.environ.get("LOCKSTEP_BUILD_JOBS", "2")
        subprocess.run(["ninja", "-C", build_dir, "-j", jobs, "_lockstep"], check=True)
        built = os.path.join(build_dir, "python", "lockstep", os.path.basename(self.get_ext_filename(ext.name)))
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built, target)


setup(ext_modules=[Extension("lockstep._lockstep", sources=[])], cmdclass={"build_ext": CMakeBuild})
