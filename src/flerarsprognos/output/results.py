"""The output contract: long tables (scenario, ar, post, mnkr) from the result Dataset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr


def _long(da: xr.DataArray, post_dim: str) -> pd.DataFrame:
    df = da.transpose("scenario", "year", post_dim).to_dataframe(name="mnkr").reset_index()
    df = df.rename(columns={"year": "ar", post_dim: "post"})[["scenario", "ar", "post", "mnkr"]]
    df["mnkr"] = df["mnkr"] + 0.0  # no negative zeros
    return df


def resultatrakning(result: xr.Dataset) -> pd.DataFrame:
    return _long(result["resultatrakning"], "rr_post")


def balanskrav(result: xr.Dataset) -> pd.DataFrame:
    return _long(result["balanskrav"], "bk_post")


def balansrakning(result: xr.Dataset) -> pd.DataFrame:
    return _long(result["balansrakning"], "br_post")


def finansiella_mal(result: xr.Dataset) -> pd.DataFrame:
    parts = {name: result[f"mal_{name}"] for name in ("varde", "malvarde", "uppfyllt", "gap_mnkr")}
    df = xr.Dataset(parts).transpose("scenario", "year", "mal").to_dataframe().reset_index()
    df = df.rename(columns={"year": "ar"})[["scenario", "ar", "mal", "varde", "malvarde", "uppfyllt", "gap_mnkr"]]
    for col in ("varde", "malvarde", "gap_mnkr"):
        df[col] = df[col] + 0.0  # no negative zeros
    df["uppfyllt"] = df["uppfyllt"].map(lambda x: "" if np.isnan(x) else ("true" if x >= 0.5 else "false"))
    return df


def wide(result: xr.Dataset, table: str, scenario: str) -> pd.DataFrame:
    """One scenario's table laid out as in the regionplan: lines as rows, years as columns."""
    da = result[table].sel(scenario=scenario)
    post_dim = [d for d in da.dims if d != "year"][0]
    return da.transpose(post_dim, "year").to_pandas()
