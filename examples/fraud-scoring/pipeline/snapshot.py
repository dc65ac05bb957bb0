"""Training snapshot: the card processor's authorisations, pseudonymised on read, with matured fraud labels.

    python -m pipeline.snapshot --from 2024-10-01 --to 2026-03-31
    python -m pipeline.snapshot --from 2026-04-01 --to 2026-06-30 --labels-matured-by 2026-09-28

Nothing after this step sees a card number, a birth date, a device id or a full IP address: the card becomes a
keyed hash (card_ref), the birth date a 5-year age band, the device id a salted hash and the IP its /24
(docs/data/feature-inventory.md). The keys come from Vault through the environment, never from this repository.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import ipaddress
import os
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

EXPORT = "s3://alderbank-fraud-raw/processor-authorisations/"
LABELS = "s3://alderbank-fraud-raw/fraud-labels/"
LABEL_MATURITY = timedelta(days=90)  # chargebacks keep arriving for about three months
ROWS_PER_FILE = 2_500_000


@dataclass(frozen=True)
class ProcessorAuthorisation:
    """One row of the processor's daily export, as delivered: personal data, read here and nowhere else."""

    authorisation_id: str
    authorised_at: datetime
    pan: str
    cardholder_date_of_birth: date
    ip_address: str | None
    device_id: str | None
    merchant_id: str
    merchant_mcc: str
    amount_eur: float
    card_present: bool
    country_mismatch: bool


COLUMNS = list(ProcessorAuthorisation.__dataclass_fields__)


@dataclass(frozen=True)
class SnapshotRow:
    """What the feature pipeline and training see."""

    authorisation_id: str
    authorised_at: datetime
    card_ref: str
    age_band_5y: int
    ip_prefix_24: str | None
    device_hash: str | None
    merchant_id: str
    merchant_mcc: str
    amount_eur: float
    card_present: bool
    country_mismatch: bool
    is_fraud: bool


def pseudonymise(row: ProcessorAuthorisation, fraud: bool, card_key: bytes, device_salt: bytes) -> SnapshotRow:
    return SnapshotRow(
        authorisation_id=row.authorisation_id,
        authorised_at=row.authorised_at,
        card_ref="c-" + _keyed(card_key, row.pan)[:32],
        age_band_5y=_age_band(row.cardholder_date_of_birth, row.authorised_at.date()),
        ip_prefix_24=_prefix_24(row.ip_address),
        device_hash=_keyed(device_salt, row.device_id) if row.device_id else None,
        merchant_id=row.merchant_id,
        merchant_mcc=row.merchant_mcc,
        amount_eur=row.amount_eur,
        card_present=row.card_present,
        country_mismatch=row.country_mismatch,
        is_fraud=fraud,
    )


def _keyed(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def _age_band(born: date, on: date) -> int:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return age - age % 5


def _prefix_24(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.IPv4Network(f"{address}/24", strict=False))
    except ValueError:  # IPv6 or garbage: the vendor gets nothing rather than a full address
        return None


def fraud_ids(start: date, end: date, matured_by: date) -> set[str]:
    """Authorisations confirmed as fraud (chargeback or analyst verdict) reported on or before `matured_by`."""
    labels = ds.dataset(LABELS, format="parquet").to_table(
        columns=["authorisation_id"],
        filter=(ds.field("authorised_on") >= start)
        & (ds.field("authorised_on") <= end)
        & (ds.field("reported_on") <= matured_by),
    )
    return set(labels.column("authorisation_id").to_pylist())


def snapshot(start: date, end: date, matured_by: date, out: str) -> int:
    card_key = os.environ["FRAUD_CARD_REF_KEY"].encode()
    salt = os.environ["FRAUD_DEVICE_SALT"].encode()  # rotated monthly
    fraud = fraud_ids(start, end, matured_by)
    export = ds.dataset(EXPORT, format="parquet", partitioning="hive")
    written, in_file, files = 0, 0, 0
    writer: pq.ParquetWriter | None = None
    for batch in export.to_batches(filter=(ds.field("day") >= start) & (ds.field("day") <= end)):
        rows = [
            asdict(pseudonymise(ProcessorAuthorisation(**raw), raw["authorisation_id"] in fraud, card_key, salt))
            for raw in batch.select(COLUMNS).to_pylist()
        ]
        table = pa.Table.from_pylist(rows)
        if writer is None or in_file >= ROWS_PER_FILE:
            if writer is not None:
                writer.close()
            writer = pq.ParquetWriter(f"{out}/part-{files:05d}.parquet", table.schema)
            in_file, files = 0, files + 1
        writer.write_table(table)
        in_file += len(rows)
        written += len(rows)
    if writer is not None:
        writer.close()
    return written


def _name(end: date, holdout: bool) -> str:
    # A holdout is a whole quarter, named as evals/thresholds.yaml names it; a training window by its last month.
    if holdout:
        return f"data/tx-{end.year}-q{(end.month - 1) // 3 + 1}-holdout.parquet"
    return f"data/tx-{end:%Y-%m}.parquet"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m pipeline.snapshot")
    parser.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    parser.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
    parser.add_argument("--labels-matured-by", type=date.fromisoformat)
    args = parser.parse_args()
    matured_by = args.labels_matured_by or args.end + LABEL_MATURITY
    out = _name(args.end, holdout=args.labels_matured_by is not None)
    os.makedirs(out, exist_ok=True)
    print(f"{out}: {snapshot(args.start, args.end, matured_by, out):,} authorisations")


if __name__ == "__main__":
    main()
