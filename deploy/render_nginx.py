"""Render nginx configuration for several app processes.

python deploy/render_nginx.py --listen 80 --app 127.0.0.1:5001 --app 127.0.0.1:5002
    prints a site file for /etc/nginx/sites-enabled/ (the production setup);
... --standalone DIR
    prints a complete nginx.conf that keeps its pid, logs and temporary files in DIR,
    so an unprivileged nginx can run it (the multi-process tests do).
"""

import argparse
from pathlib import Path

HERE = Path(__file__).resolve().parent

STANDALONE = """daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
{site}
}}
"""


def render(listen, apps, standalone=None):
    upstreams = "\n".join(f"    server {app};" for app in apps)
    site = (HERE / "nginx-site.conf").read_text()
    site = site.replace("@LISTEN@", str(listen)).replace("@UPSTREAMS@", upstreams)
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
