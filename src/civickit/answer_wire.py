"""Answers as plain data: encoded in the learner's kernel, decoded by the trusted checker (civickit.trusted_check).

The learner's side of the wire runs inside the learner's (sandboxed) kernel, so nothing it sends can be
believed more than a value the learner typed: it is parsed as JSON and rebuilt here into fresh objects
of built-in, numpy and pandas types. No learner object, class or pickle ever reaches the trusted side.
A float subclass whose comparisons lie arrives as the float it holds; an object of any other type
arrives as `Ungradable`, which refuses every comparison and operation.

Tagged format: JSON null/true/false, integers, finite floats and strings stand for themselves; every
other value is an object {"t": tag, ...}: float (nan/inf), complex, list, tuple, set, frozenset, dict
(pairs), bytes, decimal, fraction, date, time, datetime, timedelta, na, nat, timestamp, timedelta64,
np (numpy scalar), ndarray, index, multiindex, series, frame, fn (a learner callable: a handle the
trusted side calls through the learner's kernel), ungradable.

The learner's side (`handle`) answers three requests from the trusted side: fetch names of the
notebook's namespace, call a fetched callable with pickled arguments (trusted -> learner may be
pickle), and put values into the namespace (what a test cell defines, as plain nbgrader leaves it).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import fractions
import json
import math
import pickle
import re
import traceback

MAX_REPLY_CHARS = 64 * 1024**2  # a learner's answer larger than this is not graded (it would fill the grader's memory)
MAX_DEPTH = 60
EXT_DTYPES = re.compile(r"^(U?Int(8|16|32|64)|Float(32|64)|boolean)$")
NUMPY_DTYPE = re.compile(r"^[<>|=]?[biufcOMm]\d*(\[[a-z]+\])?$")

_handles: dict[int, object] = {}
_reply = ""


class Ungradable:
    """Stands for a learner value of a type the checker does not rebuild: it compares with nothing."""

    def __init__(self, type_name: str, why: str = ""):
        self._what = f"an object of type {type_name}" + (f" ({why})" if why else "")

    def _refuse(self, *args, **kwargs):
        raise TypeError(f"The answer is {self._what}, which the grader cannot check; return built-in or pandas values.")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __len__ = __iter__ = __contains__ = _refuse
    __getitem__ = __call__ = __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __abs__ = __neg__ = __float__ = __int__ = __index__ = __hash__ = _refuse

    def __getattr__(self, name):
        self._refuse()

    def __repr__(self):
        return f"<ungradable answer: {self._what}>"


# ---------------------------------------------------------------- learner side: encode


def encode(x, depth: int = 0):
    """A learner value as tagged JSON data (runs in the learner's kernel)."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    d = depth + 1
    t = type(x)
    if x is None or t is bool or t is str:
        return x
    if t is int:
        return x
    if t is float:
        return x if math.isfinite(x) else {"t": "float", "v": repr(x)}
    module = getattr(t, "__module__", "") or ""
    if module.startswith("numpy"):
        return _encode_numpy(x, d)
    if module.startswith("pandas"):
        return _encode_pandas(x, d)
    if callable(x):
        return {"t": "fn", "h": _register(x), "name": str(getattr(x, "__name__", ""))[:80]}
    # Subclasses of built-in types arrive as the built-in value they hold (their methods are not believed).
    if isinstance(x, bool):
        return bool(int.__int__(x))
    if isinstance(x, int):
        return int.__int__(x)
    if isinstance(x, float):
        return encode(float.__float__(x), d)
    if isinstance(x, str):
        return str.__str__(x)
    if isinstance(x, complex):
        return {"t": "complex", "v": [complex.__complex__(x).real, complex.__complex__(x).imag]}
    if isinstance(x, (list, tuple, set, frozenset)):
        tag = next(name for name, cls in (("tuple", tuple), ("list", list), ("frozenset", frozenset), ("set", set))
                   if isinstance(x, cls))
        items = list(tuple.__iter__(x)) if tag == "tuple" else list(x)
        return {"t": tag, "v": [encode(i, d) for i in items]}
    if isinstance(x, dict):
        return {"t": "dict", "v": [[encode(k, d), encode(v, d)] for k, v in dict.items(x)]}
    if isinstance(x, (bytes, bytearray)):
        return {"t": "bytes", "v": base64.b64encode(bytes(x)).decode()}
    if isinstance(x, decimal.Decimal):
        return {"t": "decimal", "v": str(x)}
    if isinstance(x, fractions.Fraction):
        return {"t": "fraction", "v": [x.numerator, x.denominator]}
    if isinstance(x, dt.datetime):
        return {"t": "datetime", "v": x.isoformat(), "tz": _zone_key(x.tzinfo)}
    if isinstance(x, dt.date):
        return {"t": "date", "v": x.isoformat()}
    if isinstance(x, dt.time):
        return {"t": "time", "v": x.isoformat()}
    if isinstance(x, dt.timedelta):
        return {"t": "timedelta", "v": [x.days, x.seconds, x.microseconds]}
    return {"t": "ungradable", "type": t.__name__[:80]}


def _zone_key(tz):
    key = getattr(tz, "key", None)
    return key if isinstance(key, str) else None


def _register(obj) -> int:
    handle = id(obj)
    _handles[handle] = obj
    return handle


def _encode_numpy(x, d):
    import numpy as np

    if isinstance(x, np.ndarray):
        return {"t": "ndarray", "dtype": x.dtype.str, "shape": list(x.shape),
                "v": [encode(i, d) for i in (x.ravel().tolist() if x.dtype.kind in "biufc" else list(x.ravel()))]}
    if isinstance(x, np.generic):
        return {"t": "np", "dtype": x.dtype.str, "v": encode(x.item(), d)}
    return {"t": "ungradable", "type": type(x).__name__[:80]}


def _encode_pandas(x, d):
    import pandas as pd

    if x is pd.NA:
        return {"t": "na"}
    if x is pd.NaT:
        return {"t": "nat"}
    if isinstance(x, pd.Timestamp):
        return {"t": "timestamp", "v": x.isoformat(), "tz": str(x.tz) if x.tz is not None else None, "unit": x.unit}
    if isinstance(x, pd.Timedelta):
        return {"t": "timedelta64", "v": int(x.value), "unit": x.unit}
    if isinstance(x, pd.MultiIndex):
        return {"t": "multiindex", "levels": [encode(level, d) for level in x.levels],
                "codes": [[int(c) for c in codes] for codes in x.codes], "names": [encode(n, d) for n in x.names]}
    if isinstance(x, pd.RangeIndex):
        return {"t": "index", "range": [x.start, x.stop, x.step], "name": encode(x.name, d)}
    if isinstance(x, pd.Index):
        return {"t": "index", "dtype": _dtype(x.dtype, d), "v": _values(x, d), "name": encode(x.name, d)}
    if isinstance(x, pd.Series):
        return {"t": "series", "dtype": _dtype(x.dtype, d), "v": _values(x, d), "index": encode(x.index, d),
                "name": encode(x.name, d)}
    if isinstance(x, pd.DataFrame):
        columns = [{"dtype": _dtype(x.dtypes.iloc[i], d), "v": _values(x.iloc[:, i], d)} for i in range(x.shape[1])]
        return {"t": "frame", "columns": encode(x.columns, d), "index": encode(x.index, d), "data": columns}
    return {"t": "ungradable", "type": type(x).__name__[:80]}


def _values(values, d) -> list:
    kind = getattr(values.dtype, "kind", "O")
    if type(values.dtype).__module__.startswith("numpy") and kind in "biufc":
        items = values.to_numpy().tolist()
    else:
        items = list(values.array)
    return [encode(i, d) for i in items]


def _dtype(dtype, d) -> dict:
    import pandas as pd

    if isinstance(dtype, pd.StringDtype):
        return {"string": dtype.storage, "na": "NA" if dtype.na_value is pd.NA else "nan"}
    if isinstance(dtype, pd.CategoricalDtype):
        return {"category": encode(dtype.categories, d), "ordered": bool(dtype.ordered)}
    if isinstance(dtype, pd.DatetimeTZDtype):
        return {"datetimetz": dtype.unit, "tz": str(dtype.tz)}
    if type(dtype).__module__.startswith("numpy"):
        return {"numpy": dtype.str}
    return {"ext": str(dtype)}


# ---------------------------------------------------------------- learner side: requests


def handle(request: str) -> None:
    """Serve one request of the trusted checker; the reply is read back with `last_reply()`."""
    global _reply
    try:
        req = json.loads(request)
        if req["op"] == "fetch":
            reply = {"values": {name: _fetch(name) for name in req["names"]}}
        elif req["op"] == "call":
            reply = _call(req["h"], req["args"])
        elif req["op"] == "put":
            _namespace().update(pickle.loads(base64.b64decode(req["values"])))
            reply = {"ok": None}
        else:
            reply = {"error": "unknown request"}
        _reply = json.dumps(reply, ensure_ascii=True, allow_nan=False)
    except BaseException as err:  # noqa: BLE001 - the checker must get an answer, whatever went wrong here
        _reply = json.dumps({"error": f"{type(err).__name__}: {err}"[:2000]})


def handle_object(handle_id: int):
    """A learner callable the checker passes back as an argument (unpickled here, in the learner's kernel)."""
    return _handles[handle_id]


def last_reply() -> str:
    return _reply


def _namespace() -> dict:
    from IPython import get_ipython

    return get_ipython().user_ns


def _fetch(name: str):
    ns = _namespace()
    if name not in ns:
        return {"t": "missing"}
    try:
        return encode(ns[name])
    except Exception as err:  # noqa: BLE001
        return {"t": "ungradable", "type": type(ns[name]).__name__[:80], "why": str(err)[:200]}


def _call(handle_id: int, args_b64: str) -> dict:
    args, kwargs = pickle.loads(base64.b64decode(args_b64))
    before = {key: _snapshot(value) for key, value in _mutable(args, kwargs)}
    try:
        result = _handles[handle_id](*args, **kwargs)
    except BaseException as err:  # noqa: BLE001 - reported to the checker, which re-raises it there
        reply = {"raise": _exception(err)}
    else:
        try:
            reply = {"ok": encode(result)}
        except Exception as err:  # noqa: BLE001
            reply = {"ok": {"t": "ungradable", "type": type(result).__name__[:80], "why": str(err)[:200]}}
    mutated = {}
    for key, value in _mutable(args, kwargs):
        after = _snapshot(value)
        if after != before[key]:
            mutated[key] = after
    reply["mutated"] = mutated
    return reply


def _mutable(args, kwargs):
    """Arguments a function can change in place: the checker gives the change back to its own objects."""
    for key, value in [*((str(i), a) for i, a in enumerate(args)), *((f"k:{k}", v) for k, v in kwargs.items())]:
        if type(value).__name__ in ("list", "dict", "set", "DataFrame", "Series", "ndarray"):
            yield key, value


def _snapshot(value):
    try:
        return encode(value)
    except Exception:  # noqa: BLE001
        return None


def _exception(err: BaseException) -> dict:
    """The learner's exception by its nearest built-in class (a subclass of ValueError is a ValueError)."""
    builtin = next((c.__name__ for c in type(err).__mro__ if c.__module__ == "builtins"), "Exception")
    try:
        lines = traceback.format_exception(type(err), err, err.__traceback__)
    except Exception:  # noqa: BLE001
        lines = []
    try:
        message = str(err)
    except Exception:  # noqa: BLE001
        message = ""
    return {"builtin": builtin, "ename": type(err).__name__[:80], "message": message[:4000],
            "traceback": "".join(lines)[-8000:]}


# ---------------------------------------------------------------- trusted side: decode


def decode(data, proxy, depth: int = 0):
    """Fresh built-in / numpy / pandas objects from tagged data; `proxy(handle, name)` makes a callable."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    d = depth + 1
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is not dict:
        raise ValueError("not tagged data")
    tag = data.get("t")
    v = data.get("v")
    simple = {
        "list": lambda: [decode(i, proxy, d) for i in v],
        "tuple": lambda: tuple(decode(i, proxy, d) for i in v),
        "set": lambda: {decode(i, proxy, d) for i in v},
        "frozenset": lambda: frozenset(decode(i, proxy, d) for i in v),
        "dict": lambda: {decode(k, proxy, d): decode(x, proxy, d) for k, x in v},
        "float": lambda: float(_one_of(v, ("nan", "inf", "-inf"))),
        "complex": lambda: complex(float(v[0]), float(v[1])),
        "bytes": lambda: base64.b64decode(str(v)),
        "decimal": lambda: decimal.Decimal(str(v)),
        "fraction": lambda: fractions.Fraction(int(v[0]), int(v[1])),
        "date": lambda: dt.date.fromisoformat(str(v)),
        "time": lambda: dt.time.fromisoformat(str(v)),
        "datetime": lambda: _datetime(str(v), data.get("tz")),
        "timedelta": lambda: dt.timedelta(days=int(v[0]), seconds=int(v[1]), microseconds=int(v[2])),
        "fn": lambda: proxy(int(data["h"]), str(data.get("name", ""))),
        "ungradable": lambda: Ungradable(str(data.get("type", "?"))[:80], str(data.get("why", ""))[:200]),
    }
    if tag in simple:
        return simple[tag]()
    if tag in ("np", "ndarray"):
        return _decode_numpy(data, proxy, d)
    return _decode_pandas(data, proxy, d)


def _one_of(value, allowed):
    if value not in allowed:
        raise ValueError(f"unexpected {value!r}")
    return value


def _datetime(text: str, tz):
    value = dt.datetime.fromisoformat(text)
    if tz:
        from zoneinfo import ZoneInfo

        value = value.astimezone(ZoneInfo(str(tz)))
    return value


def _numpy_dtype(text):
    import numpy as np

    if not isinstance(text, str) or not NUMPY_DTYPE.match(text):
        raise ValueError(f"unexpected dtype {text!r}")
    return np.dtype(text)


def _decode_numpy(data, proxy, d):
    import numpy as np

    dtype = _numpy_dtype(data.get("dtype"))
    if data["t"] == "np":
        return dtype.type(decode(data["v"], proxy, d))
    items = [decode(i, proxy, d) for i in data["v"]]
    shape = tuple(int(n) for n in data["shape"])
    return np.array(items, dtype=dtype).reshape(shape)


def _pandas_dtype(desc, proxy, d):
    import numpy as np
    import pandas as pd

    if not isinstance(desc, dict):
        raise ValueError("unexpected dtype")
    if "numpy" in desc:
        return _numpy_dtype(desc["numpy"])
    if "string" in desc:
        return pd.StringDtype(_one_of(desc["string"], ("python", "pyarrow")),
                              na_value=pd.NA if desc.get("na") == "NA" else np.nan)
    if "category" in desc:
        return pd.CategoricalDtype(decode(desc["category"], proxy, d), ordered=bool(desc.get("ordered")))
    if "datetimetz" in desc:
        return pd.DatetimeTZDtype(_one_of(desc["datetimetz"], ("s", "ms", "us", "ns")), str(desc["tz"]))
    if isinstance(desc.get("ext"), str) and EXT_DTYPES.match(desc["ext"]):
        return pd.api.types.pandas_dtype(desc["ext"])
    return np.dtype(object)  # an unknown extension type: its values, as Python objects


def _decode_pandas(data, proxy, d):
    import pandas as pd

    tag = data.get("t")
    if tag == "na":
        return pd.NA
    if tag == "nat":
        return pd.NaT
    if tag == "timestamp":
        return pd.Timestamp(str(data["v"])).tz_convert(data["tz"]) if data.get("tz") else pd.Timestamp(str(data["v"]))
    if tag == "timedelta64":
        return pd.Timedelta(int(data["v"]), unit="ns")
    if tag == "multiindex":
        return pd.MultiIndex(levels=[decode(level, proxy, d) for level in data["levels"]],
                             codes=[[int(c) for c in codes] for codes in data["codes"]],
                             names=[decode(n, proxy, d) for n in data["names"]])
    if tag == "index":
        name = decode(data.get("name"), proxy, d)
        if "range" in data:
            start, stop, step = (int(n) for n in data["range"])
            return pd.RangeIndex(start, stop, step, name=name)
        values, dtype = _column(data, proxy, d)
        return pd.Index(values, dtype=dtype, name=name)
    if tag == "series":
        index = decode(data["index"], proxy, d)
        values, dtype = _column(data, proxy, d)
        return pd.Series(values, dtype=dtype, index=index, name=decode(data.get("name"), proxy, d))
    if tag == "frame":
        index = decode(data["index"], proxy, d)
        columns = decode(data["columns"], proxy, d)
        series = {}
        for i, column in enumerate(data["data"]):
            values, dtype = _column(column, proxy, d)
            series[i] = pd.Series(values, dtype=dtype, index=index)
        frame = pd.DataFrame(series, index=index)
        frame.columns = columns
        return frame
    raise ValueError(f"unknown tag {tag!r}")


def _column(data, proxy, d):
    """The values of an Index or Series, with their dtype (passed on explicitly: pandas would infer another)."""
    import numpy as np
    import pandas as pd

    dtype = _pandas_dtype(data["dtype"], proxy, d)
    values = [decode(i, proxy, d) for i in data["v"]]
    if not isinstance(dtype, np.dtype):
        return pd.array(values, dtype=dtype), dtype
    if dtype.kind in "Mm":
        return pd.array(values, dtype=dtype), dtype
    if dtype.kind == "O":
        array = np.empty(len(values), dtype=object)
        for i, value in enumerate(values):  # one by one: a list value must stay one element
            array[i] = value
        return array, dtype
    return np.array(values, dtype=dtype), dtype
