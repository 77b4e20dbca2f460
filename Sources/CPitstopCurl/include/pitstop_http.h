#ifndef PITSTOP_HTTP_H
#define PITSTOP_HTTP_H

#include <stddef.h>

/// One HTTP request, as libcurl performs it for Pitstop's clients (Patroni's and etcd's REST APIs).
/// Strings are NUL-terminated; a NULL file leaves curl's default (no client certificate; the system's CAs).
typedef struct {
    const char *url;
    const char *method;
    const void *body;
    size_t body_length;
    /// "Name: value" lines.
    const char *const *headers;
    size_t header_count;
    const char *ca_file;
    const char *cert_file;
    const char *key_file;
    /// The whole exchange, in milliseconds (0: no limit, for a stream the sink ends).
    long timeout_ms;
    long connect_timeout_ms;
} pitstop_http_request;

/// Receives the body as it arrives; returns 0 to go on, anything else to stop the transfer (a stream's end).
typedef int (*pitstop_http_sink)(const char *data, size_t length, void *context);

/// What a request came to: curl's result code (0: an answer was read, whatever its status), the HTTP status,
/// the operating system's errno for a failed connection, and curl's own words.
typedef struct {
    int code;
    long status;
    long os_errno;
    char error[256];
} pitstop_http_result;

/// Performs `request`, handing the body to `sink` with `context`. Blocking; thread-safe (one handle per call).
void pitstop_http_perform(const pitstop_http_request *request, pitstop_http_sink sink, void *context, pitstop_http_result *result);

/// curl's result codes Pitstop tells apart.
enum {
    PITSTOP_HTTP_UNRESOLVED = 6,
    PITSTOP_HTTP_CONNECT = 7,
    PITSTOP_HTTP_WRITE_STOPPED = 23,
    PITSTOP_HTTP_TIMED_OUT = 28,
    PITSTOP_HTTP_SEND_FAILED = 55,
    PITSTOP_HTTP_RECEIVE_FAILED = 56,
};

/// Whether `code` is a TLS problem (handshake, certificate, key, CA file).
int pitstop_http_is_tls_error(int code);

#endif
