"""thematic map: the thematic map of phase 3 as a tree in the terminal."""

from __future__ import annotations

from thematic.cli._util import HERE, Study, app, failing, out, say


@app.command(name="map")
def map_(study: Study = HERE) -> None:
    """Print the thematic map of 3-candidate-themes.yaml as a tree: themes, their codes (central first).

    Example: thematic map examples/arbeidsinkludering
    """
    from thematic.project import load_project
    from thematic.thematic_map import candidate_map

    with failing():
        tree, image = candidate_map(load_project(study))
    out.print(tree)
    say(f"image: {image}")
