#!/usr/bin/env python3
"""Make probes/geo/data/countries.tsv: per-country lists of latitude/longitude boxes that
cover every part of the country, from Natural Earth 1:50m admin-0 countries.

Input:  countries-50m.json of the npm package world-atlas@2.0.2 (TopoJSON built by
        Mike Bostock from Natural Earth 1:50m Cultural Vectors, Admin 0 - Countries,
        public domain: https://www.naturalearthdata.com/about/terms-of-use/).
        Fetch with `npm pack world-atlas@2.0.2` and unpack.
Needs:  pycountry (ISO 3166-1 numeric -> alpha-2), build time only.
Usage:  python3 gen_countries.py PATH/countries-50m.json > ../data/countries.tsv

Method (conservative: a box set always covers the country's polygons):
- each polygon part whose bounding box is at most CELL degrees on both sides becomes its
  bounding box;
- a larger part is rasterised on a CELL-degree grid: a cell is kept when its centre is inside
  the part's exterior ring or when any point of the ring, sampled every STEP degrees, lies
  within STEP degrees of the cell; kept cells of one row are merged into one box;
- every box is grown by MARGIN degrees on each side and rounded outwards to 0.01 degree.
A point outside every box is therefore farther from the country than from the boxes.
"""
import json, math, sys
import pycountry

CELL = 2.0
STEP = 0.25
MARGIN = 0.05
# Features without an ISO numeric id in the source.
NAMED = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK"}
# Left out: Antarctica (its rings enclose the pole, which a planar raster cannot handle).
SKIP = {"AQ"}


def decode_arcs(t):
    sx, sy = t["transform"]["scale"]
    tx, ty = t["transform"]["translate"]
    out = []
    for arc in t["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring_points(arcs, ring):
    pts = []
    for i in ring:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def inside(pt, ring):
    x, y = pt
    c = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < xi:
                c = not c
    return c


def boxes_for(ring):
    lats = [p[1] for p in ring]
    lons = [p[0] for p in ring]
    lo_lat, hi_lat, lo_lon, hi_lon = min(lats), max(lats), min(lons), max(lons)
    if hi_lon - lo_lon > 180:
        # The ring crosses the antimeridian: rasterise it on 0..360 and split the boxes.
        shifted = [(x + 360 if x < 0 else x, y) for x, y in ring]
        out = []
        for a, b, c, d in boxes_for(shifted):
            if c < 180:
                out.append((a, b, c, min(d, 180.0)))
            if d > 180:
                out.append((a, b, max(c, 180.0) - 360, d - 360))
        return out
    if hi_lat - lo_lat <= CELL and hi_lon - lo_lon <= CELL:
        if hi_lon > 180:
            return [(lo_lat, hi_lat, lo_lon, hi_lon)]
        return [(lo_lat, hi_lat, lo_lon, hi_lon)]
    keep = set()
    i0, j0 = math.floor(lo_lat / CELL), math.floor(lo_lon / CELL)
    i1, j1 = math.floor(hi_lat / CELL), math.floor(hi_lon / CELL)
    # boundary cells
    n = len(ring)
    for k in range(n):
        (x1, y1), (x2, y2) = ring[k], ring[(k + 1) % n]
        steps = max(1, int(math.ceil(max(abs(x2 - x1), abs(y2 - y1)) / STEP)))
        for s in range(steps + 1):
            x = x1 + (x2 - x1) * s / steps
            y = y1 + (y2 - y1) * s / steps
            for ci in range(math.floor((y - STEP) / CELL), math.floor((y + STEP) / CELL) + 1):
                for cj in range(math.floor((x - STEP) / CELL), math.floor((x + STEP) / CELL) + 1):
                    keep.add((ci, cj))
    # interior cells
    for ci in range(i0, i1 + 1):
        for cj in range(j0, j1 + 1):
            if (ci, cj) not in keep and inside(((cj + 0.5) * CELL, (ci + 0.5) * CELL), ring):
                keep.add((ci, cj))
    out = []
    for ci in sorted({c[0] for c in keep}):
        cols = sorted(c[1] for c in keep if c[0] == ci)
        start = prev = cols[0]
        for cj in cols[1:] + [None]:
            if cj is not None and cj == prev + 1:
                prev = cj
                continue
            out.append((ci * CELL, (ci + 1) * CELL, start * CELL, (prev + 1) * CELL))
            if cj is not None:
                start = prev = cj
    # clip to the part's own bounding box
    clipped = [(max(a, lo_lat), min(b, hi_lat), max(c, lo_lon), min(d, hi_lon)) for a, b, c, d in out]
    # Cells kept only for the STEP neighbourhood of the ring may fall outside the bounding box.
    return [(a, b, c, d) for a, b, c, d in clipped if a <= b and c <= d]


def main():
    t = json.load(open(sys.argv[1]))
    arcs = decode_arcs(t)
    rows = []
    skipped = []
    for g in t["objects"]["countries"]["geometries"]:
        name = g["properties"]["name"]
        gid = g.get("id")
        cc = None
        if gid and gid.isdigit():
            c = pycountry.countries.get(numeric=gid)
            cc = c.alpha_2 if c else None
        cc = cc or NAMED.get(name)
        if not cc or cc in SKIP:
            skipped.append(name)
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for poly in polys:
            ring = ring_points(arcs, poly[0])
            for a, b, c, d in boxes_for(ring):
                a = max(-90.0, math.floor((a - MARGIN) * 100) / 100)
                b = min(90.0, math.ceil((b + MARGIN) * 100) / 100)
                c = max(-180.0, math.floor((c - MARGIN) * 100) / 100) if c > -180 else -180.0
                d = min(180.0, math.ceil((d + MARGIN) * 100) / 100) if d < 180 else 180.0
                rows.append((cc, a, b, c, d))
    print("# Country geometry for latency physics: boxes (degrees) covering each country.")
    print("# Source: Natural Earth 1:50m Admin 0 - Countries (public domain,")
    print("#   https://www.naturalearthdata.com/downloads/50m-cultural-vectors/), via the npm")
    print("#   package world-atlas@2.0.2 (countries-50m.json, ISC). ISO 3166-1 numeric -> alpha-2")
    print("#   with pycountry. Generated by probes/geo/scripts/gen_countries.py: parts <= %g deg are" % CELL)
    print("#   their bounding box, larger parts a %g-degree raster merged per row; margin %g deg." % (CELL, MARGIN))
    print("# Not covered (no ISO code in the source): %s." % ", ".join(sorted(skipped)))
    print("# Columns: country, lat_min, lat_max, lon_min, lon_max")
    for r in sorted(set(rows)):
        print("%s\t%.2f\t%.2f\t%.2f\t%.2f" % r)


main()
