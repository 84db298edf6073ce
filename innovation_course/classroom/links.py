"""Links that open the learner edition somewhere it runs: Binder, a JupyterHub through nbgitpuller, and the
address GitHub Pages gives its website. Used by ``release`` (the README's badge) and ``site`` (each lesson's
"run this lesson" links), so both always write the same addresses.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

START = "notebooks/00_start_here.ipynb"


def _clean(url: str) -> str:
    return url.rstrip("/").removesuffix(".git")


def binder_url(url: str, branch: str, path: str = START) -> str:
    """The Binder launch link of a public git repository (GitHub, GitLab, or any other host), opening ``path``
    in JupyterLab."""
    url = _clean(url)
    tail = f"{branch}?urlpath=lab/tree/{path}"
    for host, kind in (("https://github.com/", "gh"), ("https://gitlab.com/", "gl")):
        if url.startswith(host):
            repo = url[len(host):]
            return f"https://mybinder.org/v2/{kind}/{repo if kind == 'gh' else quote(repo, safe='')}/{tail}"
    return f"https://mybinder.org/v2/git/{quote(url, safe='')}/{tail}"


def repo_folder(url: str) -> str:
    """The folder nbgitpuller clones ``url`` into: the repository's name."""
    return _clean(url).rsplit("/", 1)[-1]


def hub_url(hub: str, url: str, branch: str, path: str = START, folder: str | None = None) -> str:
    """The nbgitpuller link that copies the repository ``url`` into a learner's home on the JupyterHub ``hub``
    (an address, with or without ``https://``) and opens ``path`` in JupyterLab (docs/launch.md)."""
    hub = hub.rstrip("/")
    if "://" not in hub:
        hub = f"https://{hub}"
    folder = folder or repo_folder(url)
    # the repository URL encoded whole, the path with its slashes, as docs/launch.md and docs/deploy.md show it
    query = f"repo={quote(_clean(url), safe='')}&branch={quote(branch, safe='')}" \
            f"&urlpath={quote(f'lab/tree/{folder}/{path}', safe='/')}"
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def pages_url(url: str) -> str | None:
    """Where GitHub Pages publishes the website of a github.com repository (None for other hosts)."""
    parts = urlsplit(_clean(url))
    if parts.netloc.lower() != "github.com":
        return None
    owner, _, repo = parts.path.strip("/").partition("/")
    if not owner or not repo or "/" in repo:
        return None
    if repo.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{repo}/"
