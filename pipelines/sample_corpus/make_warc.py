"""Write sample.warc.gz: a small crawl of two news pages for the dispatches sample corpus.

Records, in order (0-based):
  0  warcinfo  - crawl metadata (the ingester must skip it)
  1  request   - the GET for the first page (the ingester must skip it)
  2  response  - HTML page: car bomb at an army camp in Gao, Mali
  3  response  - HTML page: Chinese military drills around Taiwan (a distractor)

Run with the project venv (warcio is a project dependency):
    .venv/bin/python pipelines/sample_corpus/make_warc.py
Record ids, dates and payloads are fixed, so the output is the same on every run.
"""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
OUT = HERE / "articles" / "sample.warc.gz"

GAO_URL = "https://www.sahelobserver.example/security/2025/07/25/gao-car-bomb-army-camp"
DRILLS_URL = "https://www.straitsdaily.example/asia/2025/11/10/china-drills-around-taiwan"

GAO_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Car bomb targets army camp in Mali's Gao, killing at least four soldiers - Sahel Observer</title>
  <meta name="author" content="Aminata Traore">
  <meta property="og:site_name" content="Sahel Observer">
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="2025-07-25T10:00:00Z">
  <link rel="canonical" href="https://www.sahelobserver.example/security/2025/07/25/gao-car-bomb-army-camp">
</head>
<body>
  <div class="cookie-notice">We use cookies to analyse traffic. <a href="/cookies">Learn more</a> <button>Got it</button></div>
  <header><a href="/" class="brand">Sahel Observer</a>
    <nav><a href="/security">Security</a> <a href="/politics">Politics</a> <a href="/economy">Economy</a> <a href="/donate">Support us</a></nav>
  </header>
  <main>
    <article>
      <h1>Car bomb targets army camp in Mali's Gao, killing at least four soldiers</h1>
      <div class="meta">By Aminata Traore | 25 July 2025</div>
      <p>Al Qaeda-linked militants claimed responsibility for a car bomb that exploded at the gate of a military camp in the northern Malian city of Gao on Thursday, killing at least four soldiers and wounding 11, security sources said.</p>
      <p>The vehicle was driven at the camp's main entrance shortly after dawn and detonated when soldiers opened fire on it, a security source said.</p>
      <p>The militant group JNIM said in a statement on its propaganda channels that one of its fighters had carried out the attack.</p>
      <p>"The terrorists will not weaken our determination to protect the population," army spokesman Col. Souleymane Diarra said on state television.</p>
      <p>Mali's military government has struggled to contain jihadist violence since the departure of French troops and the United Nations peacekeeping mission. Russian paramilitary forces now support the army in the north.</p>
    </article>
    <section class="more-news"><h2>More from Security</h2><ul><li><a href="/security/2025/07/18/niger-convoy">Convoy ambushed in western Niger</a></li><li><a href="/security/2025/07/11/burkina-displacement">Burkina Faso displacement tops two million</a></li></ul></section>
  </main>
  <footer><p>Sahel Observer &middot; Bamako &middot; Dakar</p><p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p></footer>
</body>
</html>
"""

DRILLS_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>China stages large-scale drills around Taiwan, simulating strikes on ports | Straits Daily</title>
  <meta name="author" content="Huang Mei-ling">
  <meta property="og:site_name" content="Straits Daily">
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="2025-11-10T09:30:00Z">
  <link rel="canonical" href="https://www.straitsdaily.example/asia/2025/11/10/china-drills-around-taiwan">
</head>
<body>
  <div id="gdpr">Your privacy matters. We and our partners use cookies. <button>Accept</button> <button>Reject</button></div>
  <nav class="main-menu"><a href="/">Front page</a> <a href="/asia">Asia</a> <a href="/markets">Markets</a> <a href="/tech">Tech</a> <a href="/account">My account</a></nav>
  <main>
    <article>
      <h1>China stages large-scale drills around Taiwan, simulating strikes on ports</h1>
      <p class="dek">Taiwan says it tracked dozens of aircraft and warships near the island.</p>
      <p>China's military launched large-scale drills around Taiwan on Monday, deploying warships and fighter jets to practise blockading the island's main ports and simulating strikes on key targets.</p>
      <p>Taiwan's defence ministry said it had tracked 71 Chinese military aircraft and 14 navy ships near the island since the early morning, and had sent its own forces to monitor them.</p>
      <p>"These drills are a reckless provocation that undermines peace in the Taiwan Strait," said Chen Wei-lun, a spokesman for Taiwan's defence ministry.</p>
      <p>China's Eastern Theatre Command said the exercises were a stern warning to separatist forces. "Any attempt to seek independence will be met with a resolute response," command spokesman Senior Colonel Zhang Hao said.</p>
      <p>No shots were fired, and Taiwan's stock market closed slightly lower. Washington urged Beijing to show restraint.</p>
    </article>
    <div class="share">Share this article</div>
  </main>
  <footer><p>&copy; 2025 Straits Daily. All rights reserved.</p></footer>
</body>
</html>
"""


def record_id(name: str) -> str:
    return "<urn:uuid:%s>" % uuid.uuid5(uuid.NAMESPACE_URL, "dispatches-sample/" + name)


def response(writer: WARCWriter, url: str, page: str, date: str, last_modified: str):
    payload = page.encode("utf-8")
    http = StatusAndHeaders(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(payload))),
            ("Date", last_modified),
            ("Server", "nginx"),
        ],
        protocol="HTTP/1.1",
    )
    return writer.create_warc_record(
        url, "response", payload=BytesIO(payload), http_headers=http,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": record_id(url)},
    )


def main() -> None:
    with OUT.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(
            "sample.warc.gz",
            {"software": "dispatches sample corpus (warcio)", "format": "WARC File Format 1.1",
             "description": "Two news pages for the dispatches demo", "isPartOf": "dispatches-sample"},
        )
        info.rec_headers.replace_header("WARC-Date", "2025-11-10T12:00:00Z")
        info.rec_headers.replace_header("WARC-Record-ID", record_id("warcinfo"))
        writer.write_record(info)

        req_http = StatusAndHeaders(
            "GET /security/2025/07/25/gao-car-bomb-army-camp HTTP/1.1",
            [("Host", "www.sahelobserver.example"), ("User-Agent", "dispatches-sample-crawler/0.1"),
             ("Accept", "text/html")],
            is_http_request=True,
        )
        req = writer.create_warc_record(
            GAO_URL, "request", http_headers=req_http,
            warc_headers_dict={"WARC-Date": "2025-11-10T12:00:01Z", "WARC-Record-ID": record_id("request/" + GAO_URL)},
        )
        writer.write_record(req)
        writer.write_record(response(writer, GAO_URL, GAO_HTML, "2025-11-10T12:00:02Z", "Fri, 25 Jul 2025 10:00:00 GMT"))
        writer.write_record(response(writer, DRILLS_URL, DRILLS_HTML, "2025-11-10T12:00:05Z", "Mon, 10 Nov 2025 09:30:00 GMT"))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
