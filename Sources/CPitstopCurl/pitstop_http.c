#include "pitstop_http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <string.h>

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void) { curl_global_init(CURL_GLOBAL_ALL); }

typedef struct {
    pitstop_http_sink sink;
    void *context;
} sink_box;

static size_t write_body(char *data, size_t size, size_t count, void *user) {
    sink_box *box = user;
    size_t length = size * count;
    if (box->sink(data, length, box->context) != 0) return 0;  /* curl stops with CURLE_WRITE_ERROR */
    return length;
}

void pitstop_http_perform(const pitstop_http_request *request, pitstop_http_sink sink, void *context, pitstop_http_result *result) {
    memset(result, 0, sizeof *result);
    pthread_once(&global_once, global_init);
    CURL *curl = curl_easy_init();
    if (!curl) {
        result->code = CURLE_FAILED_INIT;
        strncpy(result->error, "cannot start libcurl", sizeof result->error - 1);
        return;
    }
    struct curl_slist *headers = NULL;
    for (size_t i = 0; i < request->header_count; i++) headers = curl_slist_append(headers, request->headers[i]);
    /* No "Expect: 100-continue" round trip before a body. */
    headers = curl_slist_append(headers, "Expect:");
    sink_box box = {sink, context};

    curl_easy_setopt(curl, CURLOPT_URL, request->url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request->method);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    /* Straight to the service, whatever http_proxy and https_proxy say: a database cluster's REST API or etcd
       is never meant to be reached through a web proxy. */
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    /* HTTP/1.1 on every server alike: etcd offers HTTP/2 to a TLS client, where a refused client certificate
       reads as a framing error, and one request per connection gains nothing from it. */
    curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "pitstop");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, result->error);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &box);
    if (request->body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request->body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_length);
    } else if (strcmp(request->method, "GET") == 0) {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    }
    if (request->timeout_ms > 0) curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request->timeout_ms);
    if (request->connect_timeout_ms > 0) curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, request->connect_timeout_ms);
    if (request->ca_file) curl_easy_setopt(curl, CURLOPT_CAINFO, request->ca_file);
    if (request->cert_file) curl_easy_setopt(curl, CURLOPT_SSLCERT, request->cert_file);
    if (request->key_file) curl_easy_setopt(curl, CURLOPT_SSLKEY, request->key_file);

    CURLcode code = curl_easy_perform(curl);
    result->code = (int)code;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result->status);
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &result->os_errno);
    if (code != CURLE_OK && result->error[0] == 0) strncpy(result->error, curl_easy_strerror(code), sizeof result->error - 1);
    result->error[sizeof result->error - 1] = 0;
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
}

int pitstop_http_is_tls_error(int code) {
    switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
        return 1;
    default:
        return 0;
    }
}
