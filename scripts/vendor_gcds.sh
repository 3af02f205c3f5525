#!/bin/sh
# Refreshes the GC Design System the pages use (grants/web/static/gcds/) from the
# versions pinned below, with `npm pack`: no node_modules, and nothing needed at run
# time but the copied files. Change a version, run this from anywhere, look at the
# pages, commit the result.
set -eu

COMPONENTS=1.3.1
CSS_SHORTCUTS=1.2.0
FONTS=1.1.1

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/grants/web/static/gcds"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

unpack() {  # package version -> directory of its unpacked files
    dir="$WORK/$(echo "$1" | tr '/@' '__')"
    mkdir -p "$dir"
    tarball=$(cd "$WORK" && npm pack --silent "$1@$2")
    tar -xzf "$WORK/$tarball" -C "$dir" --strip-components=1
    echo "$dir"
}

# The built CSS imports Google Fonts and loads the icon font from the design system's
# CDN: the pages load both from here instead (the site's policy allows only 'self').
localize() {  # css file, path of fonts/ relative to it
    sed -i \
        -e 's#@import url([^)]*fonts\.googleapis\.com[^)]*);\{0,1\}##g' \
        -e "s#https://cdn\.design-system\.canada\.ca/@gcds-core/fonts@[0-9.]*/#$2/#g" \
        "$1"
}

components=$(unpack @gcds-core/components "$COMPONENTS")
shortcuts=$(unpack @gcds-core/css-shortcuts "$CSS_SHORTCUTS")
fonts=$(unpack @gcds-core/fonts "$FONTS")

# The components' npm package ships no licence file: keep the one copied from their
# repository (MIT, as their package.json says) unless a new version brings its own.
keep="$WORK/components-LICENSE"
[ -f "$DEST/components/LICENSE" ] && cp "$DEST/components/LICENSE" "$keep"
rm -rf "$DEST/components" "$DEST/css-shortcuts" "$DEST/fonts"
mkdir -p "$DEST/components" "$DEST/css-shortcuts" "$DEST/fonts"

# The lazy-loading ESM build: gcds.esm.js loads the p-*.js chunks beside it.
cp "$components"/dist/gcds/*.js "$components/dist/gcds/gcds.css" "$DEST/components/"
if [ -f "$components/LICENSE" ]; then
    cp "$components/LICENSE" "$DEST/components/"
elif [ -f "$keep" ]; then
    cp "$keep" "$DEST/components/LICENSE"
else
    echo "no licence for @gcds-core/components: copy LICENSE from cds-snc/gcds-components" >&2
    exit 1
fi
localize "$DEST/components/gcds.css" ../fonts

cp "$shortcuts/dist/gcds-css-shortcuts.min.css" "$shortcuts/LICENSE" "$DEST/css-shortcuts/"
localize "$DEST/css-shortcuts/gcds-css-shortcuts.min.css" ../fonts

# Lato for headings, Noto Sans for text, the icon font the components draw with; each
# font's CSS points at the files beside it.
for font in lato noto-sans; do
    mkdir -p "$DEST/fonts/$font"
    cp "$fonts/fonts/$font"/*.woff2 "$fonts/fonts/$font"/*.woff "$fonts/fonts/$font"/*.css \
        "$fonts/fonts/$font/LICENSE.txt" "$DEST/fonts/$font/"
    sed -i 's#path/to/file/##g' "$DEST/fonts/$font"/*.css
done
mkdir -p "$DEST/fonts/icons"
cp "$fonts/fonts/icons/gcds-icons.woff" "$fonts/fonts/icons/gcds-icons.ttf" \
    "$fonts/fonts/icons/LICENSE.txt" "$DEST/fonts/icons/"

cat > "$DEST/VERSIONS" <<VERSIONS
@gcds-core/components $COMPONENTS
@gcds-core/css-shortcuts $CSS_SHORTCUTS
@gcds-core/fonts $FONTS
VERSIONS

# Nothing may be fetched from elsewhere at run time.
if grep -rEl '(url\(|@import)[^;]*https?://' "$DEST" --include='*.css'; then
    echo "the files above still load something from another site" >&2
    exit 1
fi
echo "GC Design System refreshed in $DEST"
