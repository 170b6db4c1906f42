"""The table of bench/proxy/workloads.py: ringlb's ratio to the best peer, the bar each figure must
meet, and the text and JSON of a matrix. Pure functions, tested by test_workloads_table.py.

A matrix is a list of {'row': label, 'figures': [figure], 'cells': {contender: cell}}, a figure
{'name', 'higher_better', 'bar'} (bar: the ratio to reach, or None) and a cell {'values': {figure
name: value or None}, 'errors': count}."""

PEERS = ("nginx", "haproxy")


def best_peer(values, higher_better):
    """(name, value) of the best of PEERS among {contender: value}; (None, None) when none has one."""
    known = [(values[p], p) for p in PEERS if values.get(p) is not None]
    if not known:
        return None, None
    value, name = max(known) if higher_better else min(known)
    return name, value


def verdict(values, higher_better, bar):
    """{'ratio', 'peer', 'bar', 'met'} of ringlb against the best peer. 'bar' is the text of the
    bar ('>=x1.30', '<=x1.00', or '-'); 'met' is True, False, or None when there is no bar or no
    ratio (a missing figure, or a best peer of 0)."""
    peer, best = best_peer(values, higher_better)
    own = values.get("ringlb")
    ratio = own / best if own is not None and best else None
    text = "-" if bar is None else f"{'>=' if higher_better else '<='}x{bar:.2f}"
    met = None
    if bar is not None and ratio is not None:
        met = ratio >= bar if higher_better else ratio <= bar
    return {"ratio": ratio, "peer": peer, "bar": text, "met": met}


def cell_text(value):
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.0f}" if value >= 100 else f"{value:.2f}"


def format_table(matrix, contenders):
    """The lines of the table: a line per figure of every row."""
    widths = (34, 12)
    head = (f"{'row':<{widths[0]}} {'figure':<{widths[1]}}" + "".join(f"{c:>11}" for c in contenders)
            + f"  {'ringlb/best peer':<22} {'bar':>8} {'met':>4}")
    lines = [head]
    for entry in matrix:
        for fig in entry["figures"]:
            values = {c: entry["cells"][c]["values"][fig["name"]] for c in contenders}
            v = verdict(values, fig["higher_better"], fig["bar"])
            ratio = "-" if v["ratio"] is None else f"x{v['ratio']:.2f} ({v['peer']})"
            met = {True: "yes", False: "NO", None: "-"}[v["met"]]
            lines.append(f"{entry['row']:<{widths[0]}} {fig['name']:<{widths[1]}}"
                         + "".join(f"{cell_text(values[c]):>11}" for c in contenders)
                         + f"  {ratio:<22} {v['bar']:>8} {met:>4}")
    return lines


def kinds_text(kinds):
    return f" ({', '.join(f'{k} {n}' for k, n in kinds.items())})" if kinds else ""


def errors_seen(matrix):
    """One line per row in which any contender had failed requests (the end of a run not counted)."""
    lines = []
    for entry in matrix:
        failed = {c: cell["errors"] for c, cell in entry["cells"].items() if cell["errors"]}
        if failed:
            lines.append(f"{entry['row']}: " + ", ".join(
                f"{c} {n}" + kinds_text(entry["cells"][c].get("error_kinds")) for c, n in failed.items()))
    return lines


def to_json(matrix, args):
    """The matrix as plain data, with the verdicts and the run's settings."""
    rows = []
    for entry in matrix:
        figures = []
        for fig in entry["figures"]:
            values = {c: cell["values"][fig["name"]] for c, cell in entry["cells"].items()}
            figures.append({"figure": fig["name"], "values": values,
                            **verdict(values, fig["higher_better"], fig["bar"])})
        rows.append({"row": entry["row"], "figures": figures,
                     "errors": {c: cell["errors"] for c, cell in entry["cells"].items()},
                     "error_kinds": {c: cell.get("error_kinds", {}) for c, cell in entry["cells"].items()}})
    return {"settings": {k: v for k, v in vars(args).items() if k != "json"}, "rows": rows}
