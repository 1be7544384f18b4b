"""H5P libraries: how they are named, and in which order a player loads them."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple


class LibraryRef(NamedTuple):
    """A library as H5P names it in dependency lists: name, major and minor.

    Equal to the plain tuple ``(machine_name, major, minor)``, so a set of such
    tuples (the libraries installed on the site) can be checked against it.
    """

    machine_name: str
    major: int
    minor: int

    def __str__(self) -> str:
        # H5PCore::libraryToString: "H5P.MultiChoice 1.16".
        return f"{self.machine_name} {self.major}.{self.minor}"

    @property
    def folder_name(self) -> str:
        """The folder H5P's exporter puts the library in: "H5P.MultiChoice-1.16"."""
        return f"{self.machine_name}-{self.major}.{self.minor}"


@dataclass(frozen=True)
class LibraryInfo:
    """A library folder of a validated package and its library.json."""

    machine_name: str
    major: int
    minor: int
    patch: int
    folder: str
    library_json: dict[str, Any]
    # Paths as library.json gives them, relative to ``folder``, in load order.
    preloaded_js: list[str]
    preloaded_css: list[str]
    preloaded_dependencies: list[LibraryRef]
    dynamic_dependencies: list[LibraryRef]
    editor_dependencies: list[LibraryRef]

    @property
    def ref(self) -> LibraryRef:
        return LibraryRef(self.machine_name, self.major, self.minor)

    @property
    def runnable(self) -> bool:
        return self.library_json.get("runnable") == 1

    def file_names(self) -> Iterator[str]:
        """Entry names of the preloaded scripts, then the style sheets."""
        for path in (*self.preloaded_js, *self.preloaded_css):
            yield f"{self.folder}/{path}"


def topological_library_order(
    roots: Iterable[LibraryRef],
    dependencies_of: Callable[[LibraryRef], Iterable[LibraryRef]],
) -> list[LibraryRef]:
    """Every library reachable from ``roots``, each after its dependencies.

    A depth-first walk that, like H5PCore::findLibraryDependencies, marks a library
    before visiting its dependencies, so a dependency cycle (rare, but real H5P
    libraries have had them) ends the walk instead of looping. Iterative, because a
    hostile package can chain thousands of libraries.
    """
    order: list[LibraryRef] = []
    seen: set[LibraryRef] = set()
    for root in roots:
        root = LibraryRef(*root)
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(dependencies_of(root)))]
        while stack:
            library, dependencies = stack[-1]
            for dependency in dependencies:
                dependency = LibraryRef(*dependency)
                if dependency not in seen:
                    seen.add(dependency)
                    stack.append((dependency, iter(dependencies_of(dependency))))
                    break
            else:
                stack.pop()
                order.append(library)
    return order
