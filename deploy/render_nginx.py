"""Render nginx configuration for several app processes.

python deploy/render_nginx.py --listen 80 --app 127.0.0.1:5001 --app 127.0.0.1:5002
    prints a site file for /etc/nginx/sites-enabled/ (the production setup);
... --standalone DIR
    prints a complete nginx.conf that keeps its pid, logs and temporary files in DIR,
    so an unprivileged nginx can run it (the multi-process tests do).
"""

import argparse
import hashlib
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# each WebSocket through nginx holds two connections (browser, app process): 16,384 per
# worker carry about 8,000 participants, within the open-file limit raised for them
STANDALONE = """daemon off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 16384; }}
http {{
    log_format routed '$remote_addr "$request" $status upstream=$upstream_addr'
                      ' route=$cookie_fg_route sid=$arg_sid set=$facilitation_route_cookie';
    access_log {dir}/access.log routed;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
{site}
}}
"""


def route_name(app):
    """The routing cookie's value for a process: stable whatever the order or number of
    processes, and it does not show the address."""
    return "p" + hashlib.sha256(app.encode()).hexdigest()[:10]


def routes(apps):
    """One upstream per process: that process, then the others as backups."""
    blocks = []
    for app in apps:
        servers = [f"    server {app};"]
        servers += [f"    server {other} backup;" for other in apps if other != app]
        blocks.append(f"upstream facilitation_{route_name(app)} {{\n" + "\n".join(servers) + "\n}")
    return "\n".join(blocks)


def render(listen, apps, standalone=None):
    if len(set(apps)) != len(apps):
        raise SystemExit("each --app once")
    names = {app: route_name(app) for app in apps}
    fill = {
        "@LISTEN@": str(listen),
        "@UPSTREAMS@": "\n".join(f"    server {app};" for app in apps),
        "@ROUTES@": routes(apps),
        "@ROUTE_NAMES@": "\n".join(f"    {n} facilitation_{n};" for n in names.values()),
        # $upstream_addr lists every address tried ("a, b"): the last one answered
        "@SERVED_BY@": "\n".join(
            f'    "~(^|\\s){re.escape(app)}$" {n};' for app, n in names.items()
        ),
    }
    site = (HERE / "nginx-site.conf").read_text()
    for marker, text in fill.items():
        site = site.replace(marker, text)
    if standalone is None:
        return site
    return STANDALONE.format(dir=standalone, site=site)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="port (or address:port) nginx serves")
    parser.add_argument("--app", action="append", required=True, help="host:port of a process")
    parser.add_argument("--standalone", help="folder for a complete, unprivileged nginx.conf")
    args = parser.parse_args()
    print(render(args.listen, args.app, args.standalone))


if __name__ == "__main__":
    main()
