"""Paths, scopes, units, currencies, locations and the operation tables of the Cropster mock."""

from __future__ import annotations

BASE_PATH = "/rpc/v1"
TOKEN_PATH = "/oauth2/token"
TOKEN_LIFETIME = 28799  # the seed's example; "valid for 8 hours"
SCOPES = ("inventory.green", "inventory.roast", "inventory.blend")
UNITS = {"KG": 1.0, "LBS": 0.45359237}
# ISO 4217 active codes (the seed's "ISO 8601" is a typo: CONTRACT-DECISIONS)
_ISO_4217 = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD
CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ
GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR
LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN
PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB
TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
"""
CURRENCIES = frozenset(_ISO_4217.split())
DEFAULT_CREDENTIALS = {
    "CLIENT_ID": "cropster-demo-client",
    "CLIENT_SECRET": "cropster-demo-secret-Q8m2",
    "LIMITED_CLIENT_ID": "cropster-green-only",
    "LIMITED_CLIENT_SECRET": "cropster-green-secret-Z4k7",
}
LOCATIONS = [
    {"id": "6f1c2a7e-2b1d-4c3e-9f10-0a1b2c3d4e01", "externalId": "location-1234", "name": "Main Warehouse"},
    {"id": "6f1c2a7e-2b1d-4c3e-9f10-0a1b2c3d4e02", "externalId": "location-5678", "name": "Roastery"},
]
# the "other-data" persona's sandbox: other location ids, names and seed amounts
OTHER_LOCATIONS = [
    {"id": "0d6b5a4c-9e8f-4a1b-8c7d-5e4f3a2b1c11", "externalId": "WH-NORTH", "name": "North Store"},
    {"id": "0d6b5a4c-9e8f-4a1b-8c7d-5e4f3a2b1c12", "externalId": "WH-SOUTH", "name": "South Store"},
]
# list operation -> (namespace of the store, result key, date field filtered on)
LISTS = {
    "inventory.green.listGreenLots": ("green", "greenLots", None),
    "inventory.roast.listRoastedLots": ("roast", "roastedLots", "roastedDate"),
    "inventory.blend.listBlendedLots": ("blend", "blendedLots", "blendedDate"),
}
WRITES = (
    "inventory.green.importGreenLot",
    "inventory.green.setGreenLotWeight",
    "inventory.green.transferGreenLotToLocation",
)
