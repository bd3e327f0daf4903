//! The console's pages, as HTML text: every piece that came from the network goes through
//! [`Html::text`] (its control characters and bidirectional overrides shown escaped, as in
//! the crate's logs, then HTML-escaped).

use std::{
    fmt::Write as _,
    time::{SystemTime, UNIX_EPOCH},
};

use crate::log::LogSafe;

use super::super::{backend::QueueCounts, failed::FailedTask, task::QUEUE_NAME};

/// The style of every page, inline: the pages load nothing.
const STYLE: &str = "\
body{font:14px/1.45 system-ui,sans-serif;color:#222;margin:1.5em auto;max-width:90em;padding:0 1em}\
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.8em}\
table{border-collapse:collapse;margin:.5em 0}\
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#f2f2f2}\
.counts td{font-size:1.5em;text-align:right;min-width:5em}\
.error{color:#a00;white-space:pre-wrap;word-break:break-word;max-width:40em}\
code,.id{font-family:ui-monospace,monospace}\
.note{color:#555;max-width:60em}\
pre{background:#f6f6f6;padding:.8em;overflow:auto}\
form{margin:0}\
";

/// What the overview shows.
pub(super) struct Overview<'a> {
    pub(super) counts: QueueCounts,
    pub(super) dead: &'a [FailedTask],
    pub(super) actions: &'a [(SystemTime, &'a str)],
    pub(super) token: &'a str,
}

/// The overview: the counts, the dead tasks with their Retry buttons, and the console's
/// last actions.
pub(super) fn overview(view: &Overview<'_>) -> String {
    let mut html = Html::start(&format!("Callback queue {QUEUE_NAME}"));
    let counts = view.counts;
    html.raw("<h1>Callback queue <code>")
        .text(QUEUE_NAME)
        .raw("</code></h1>\n<p><a href=\"./\">Reload</a></p>\n")
        .raw("<table class=\"counts\"><thead><tr><th>Pending</th><th>Running</th>")
        .raw("<th>Failed (dead)</th><th>Done</th></tr></thead>\n<tbody><tr>");
    for (name, count) in [
        ("pending", counts.pending),
        ("running", counts.running),
        ("failed", counts.failed),
        ("done", counts.done),
    ] {
        html.raw(&format!("<td id=\"{name}\">{count}</td>"));
    }
    html.raw("</tr></tbody></table>\n")
        .raw("<p class=\"note\">Pending: waiting for a worker, due now or scheduled. ")
        .raw("Running: fetched by a worker, not finished. ")
        .raw("Failed (dead): failed all their attempts (or could not be decoded), kept until retried or purged. ")
        .raw("Done: finished since the queue was created; a worker deletes a task once it is done, and counts it.</p>\n")
    ;
    if !view.actions.is_empty() {
        html.raw("<h2>Recent actions of this console</h2>\n<ul class=\"actions\">\n");
        for (at, text) in view.actions {
            html.raw("<li>")
                .text(&utc(*at))
                .raw(": ")
                .text(text)
                .raw("</li>\n");
        }
        html.raw("</ul>\n");
    }
    html.raw("<h2>Dead tasks</h2>\n");
    dead_tasks(&mut html, view);
    html.finish()
}

fn dead_tasks(html: &mut Html, view: &Overview<'_>) {
    let (failed, listed) = (view.counts.failed, view.dead.len() as u64);
    if listed == 0 {
        html.raw(if failed == 0 {
            "<p>No task is dead.</p>\n"
        } else {
            "<p>The backend counts dead tasks but lists none yet: reload.</p>\n"
        });
        return;
    }
    let tasks = |n: u64| if n == 1 { "task" } else { "tasks" };
    let mut summary = if failed == 1 {
        "1 task failed all its attempts.".to_owned()
    } else {
        format!("{failed} {} failed all their attempts.", tasks(failed))
    };
    if listed < failed {
        let _ = write!(summary, " The latest {listed} failures are listed.");
    }
    html.raw("<p>").text(&summary).raw("</p>\n");
    html.raw("<form method=\"post\" action=\"./\">");
    hidden(html, "token", view.token);
    hidden(html, "action", "retry-all");
    html.raw(&format!(
        "<button type=\"submit\" id=\"retry-all\">Retry all {failed} dead {}</button></form>\n",
        tasks(failed)
    ));
    html.raw("<table class=\"dead\"><thead><tr><th>Task</th><th>Command</th><th>Key</th>")
        .raw("<th>Arrived</th><th>Attempts</th><th>Last error</th><th>Failed</th><th></th>")
        .raw("</tr></thead>\n<tbody>\n");
    for failed in view.dead {
        html.raw("<tr data-task=\"")
            .text(&failed.id)
            .raw("\"><td class=\"id\"><a href=\"task/")
            .text(&path_segment(&failed.id))
            .raw("\">")
            .text(&failed.id)
            .raw("</a></td>");
        match &failed.task {
            Some(task) => {
                html.raw("<td>")
                    .text(&task.command)
                    .raw("</td><td class=\"id\">")
                    .text(&task.key)
                    .raw("</td><td>")
                    .text(&utc(task.received_at()))
                    .raw("</td>");
            }
            None => {
                html.raw("<td>(cannot be decoded)</td><td>-</td><td>-</td>");
            }
        }
        html.raw(&format!("<td>{}</td>", failed.attempts))
            .raw("<td class=\"error\">")
            .text(&failed.last_error)
            .raw("</td><td>")
            .text(&failed.failed_at.map_or_else(|| "-".to_owned(), utc))
            .raw("</td><td>");
        retry_form(html, "./", &failed.id, view.token);
        html.raw("</td></tr>\n");
    }
    html.raw("</tbody></table>\n");
}

/// The page of one dead task, with its body.
pub(super) fn task(failed: &FailedTask, token: &str) -> String {
    let mut html = Html::start(&format!("Dead task {}", failed.id));
    html.raw("<h1>Dead task <code>").text(&failed.id).raw(
        "</code></h1>\n<p><a href=\"../\">Back to the queue</a></p>\n<table class=\"fields\">\n",
    );
    let mut row = |name: &str, value: &str| {
        html.raw("<tr><th>")
            .raw(name)
            .raw("</th><td>")
            .text(value)
            .raw("</td></tr>\n");
    };
    if let Some(task) = &failed.task {
        row("Command", &task.command);
        row("Key", &task.key);
        row("SdkAppid", &task.sdk_app_id.to_string());
        row("Client IP", task.client_ip.as_deref().unwrap_or("-"));
        row(
            "Platform",
            task.platform
                .as_ref()
                .map_or("-", |platform| platform.as_str()),
        );
        row("Arrived", &utc(task.received_at()));
    } else {
        row("Task", "cannot be decoded (see the last error)");
    }
    row("Attempts", &failed.attempts.to_string());
    row(
        "Failed",
        &failed.failed_at.map_or_else(|| "-".to_owned(), utc),
    );
    html.raw("<tr><th>Last error</th><td class=\"error\">")
        .text(&failed.last_error)
        .raw("</td></tr>\n</table>\n");
    retry_form(&mut html, "../", &failed.id, token);
    if let Some(task) = &failed.task {
        let body = serde_json::from_str::<serde_json::Value>(task.body.get())
            .and_then(|body| serde_json::to_string_pretty(&body))
            .unwrap_or_else(|_| task.body.get().to_owned());
        html.raw("<h2>Body</h2>\n<pre>");
        for line in body.lines() {
            html.text(line).raw("\n");
        }
        html.raw("</pre>\n");
    }
    html.finish()
}

/// A page that only says `title` and `text` (a refusal, an error).
pub(super) fn message(title: &str, text: &str) -> String {
    let mut html = Html::start(title);
    html.raw("<h1>")
        .text(title)
        .raw("</h1>\n<p class=\"error\">")
        .text(text)
        .raw("</p>\n");
    html.finish()
}

fn retry_form(html: &mut Html, action: &str, id: &str, token: &str) {
    html.raw("<form method=\"post\" action=\"")
        .raw(action)
        .raw("\" data-task=\"")
        .text(id)
        .raw("\">");
    hidden(html, "token", token);
    hidden(html, "action", "retry");
    hidden(html, "task", id);
    html.raw("<button type=\"submit\">Retry</button></form>");
}

fn hidden(html: &mut Html, name: &str, value: &str) {
    html.raw("<input type=\"hidden\" name=\"")
        .raw(name)
        .raw("\" value=\"")
        .text(value)
        .raw("\">");
}

/// `id` as one path segment: every byte but letters, digits and `-._~` percent-encoded.
fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `at` in UTC, to the second: `2026-12-07 13:24:08 UTC`.
pub(super) fn utc(at: SystemTime) -> String {
    let secs = at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

/// A page being written.
struct Html(String);

impl Html {
    fn start(title: &str) -> Self {
        let mut html = Self(String::with_capacity(4096));
        html.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .raw("<meta name=\"referrer\" content=\"no-referrer\"><title>")
            .text(title)
            .raw("</title><style>")
            .raw(STYLE)
            .raw("</style></head>\n<body>\n");
        html
    }

    /// Appends markup of the console's own.
    fn raw(&mut self, markup: &str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Appends `text` as text (in an element or a quoted attribute): its control
    /// characters, separators and bidirectional overrides escaped as the crate's logs show
    /// them, then `&`, `<`, `>`, `"` and `'` as HTML entities.
    fn text(&mut self, text: &str) -> &mut Self {
        let safe = LogSafe(text).to_string();
        for c in safe.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                c => self.0.push(c),
            }
        }
        self
    }

    fn finish(mut self) -> String {
        self.0.push_str("</body></html>\n");
        self.0
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn text_is_escaped_and_times_are_utc() {
        let mut html = Html(String::new());
        html.text("<script>alert('x')</script> & \"q\"\n\u{202e}");
        assert_eq!(
            html.0,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\\n\\u{202e}"
        );
        assert_eq!(utc(UNIX_EPOCH), "1970-01-01 00:00:00 UTC");
        assert_eq!(
            utc(UNIX_EPOCH + Duration::from_secs(1_709_210_096)),
            "2024-02-29 12:34:56 UTC"
        );
        assert_eq!(
            utc(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29 00:00:00 UTC"
        );
        assert_eq!(path_segment("01J/a b"), "01J%2Fa%20b");
    }
}
