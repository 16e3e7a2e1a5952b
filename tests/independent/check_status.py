#!/usr/bin/env python3
"""An independent verifier of a Stegvis credential (Open Badges 3.0 as a JWT) and its
W3C Bitstring Status List entries. It trusts only the JWKS and the status lists the
credential names, and uses nothing of Stegvis: PyJWT (with `cryptography` for Ed25519)
and the standard library.

    check_status.py --jwks URL --credential FILE --at UNIX_SECONDS [--map FROM=TO]

Prints one word: valid, suspended, revoked, expired or not-yet-valid; exits 1 with a
reason on anything it cannot trust (bad signature, unknown key, malformed list).
`--map` rewrites the start of every URL the credential names (a test server listens
somewhere else than the public URL it writes into credentials).
"""
import argparse
import base64
import gzip
import json
import sys
import urllib.request

import jwt  # PyJWT

MIN_BITS = 131_072


def fetch(url, mapping):
    for source, target in mapping:
        if url.startswith(source):
            url = target + url[len(source):]
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def verified(token, keys, typ):
    """The payload of `token`, signed by a key of the JWKS; expiry is checked by the
    caller against the given time, not the machine's clock."""
    header = jwt.get_unverified_header(token)
    if header.get("alg") != "EdDSA":
        raise SystemExit(f"unexpected alg {header.get('alg')!r}")
    if header.get("typ") != typ:
        raise SystemExit(f"unexpected typ {header.get('typ')!r}")
    key = keys.get(header.get("kid"))
    if key is None:
        raise SystemExit(f"no key {header.get('kid')!r} in the JWKS")
    return jwt.decode(
        token,
        key=key,
        algorithms=["EdDSA"],
        options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                 "verify_aud": False},
    )


def bit(encoded_list, index):
    if not encoded_list.startswith("u"):
        raise SystemExit("encodedList lacks the multibase 'u' prefix")
    data = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    if len(bits) * 8 < MIN_BITS:
        raise SystemExit(f"the list holds {len(bits) * 8} bits, fewer than {MIN_BITS}")
    if not 0 <= index < len(bits) * 8:
        raise SystemExit(f"index {index} is outside the list")
    return (bits[index // 8] >> (7 - index % 8)) & 1 == 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jwks", required=True)
    parser.add_argument("--credential", required=True)
    parser.add_argument("--at", required=True, type=int)
    parser.add_argument("--map", action="append", default=[])
    args = parser.parse_args()
    mapping = [tuple(m.split("=", 1)) for m in args.map]

    jwks = json.loads(fetch(args.jwks, mapping))
    keys = {k["kid"]: jwt.PyJWK(k) for k in jwks["keys"]}
    with open(args.credential, encoding="utf-8") as f:
        credential = verified(f.read().strip(), keys, "vc+jwt")
    if "OpenBadgeCredential" not in credential["type"]:
        raise SystemExit("not an Open Badges credential")

    flags = {}
    entries = credential.get("credentialStatus")
    if not isinstance(entries, list) or not entries:
        raise SystemExit("the credential carries no credentialStatus")
    for entry in entries:
        if entry["type"] != "BitstringStatusListEntry":
            raise SystemExit(f"unknown status entry type {entry['type']!r}")
        purpose = entry["statusPurpose"]
        token = fetch(entry["statusListCredential"], mapping).decode("ascii").strip()
        listed = verified(token, keys, "vc+jwt")
        if "BitstringStatusListCredential" not in listed["type"]:
            raise SystemExit("the status list is not a BitstringStatusListCredential")
        if listed["id"] != entry["statusListCredential"]:
            raise SystemExit("the status list answers for another address")
        subject = listed["credentialSubject"]
        if subject["statusPurpose"] != purpose:
            raise SystemExit(f"a {subject['statusPurpose']} list for a {purpose} entry")
        flags[purpose] = bit(subject["encodedList"], int(entry["statusListIndex"]))

    if set(flags) != {"revocation", "suspension"}:
        raise SystemExit(f"expected a revocation and a suspension entry, got {sorted(flags)}")
    if flags["revocation"]:
        print("revoked")
    elif flags["suspension"]:
        print("suspended")
    elif args.at < credential["nbf"]:
        print("not-yet-valid")
    elif args.at > credential["exp"]:
        print("expired")
    else:
        print("valid")


if __name__ == "__main__":
    sys.exit(main())
