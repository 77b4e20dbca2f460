#include "pitstop_http.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

/* libcurl is loaded when the first request is made, not when pitstop starts: linked in, it and the TLS and
   HTTP/2 libraries it pulls would add some 6 MB to every process's resident memory, though most never make a
   request (the console, the CLI, the watch screen of a store on one host). */
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    void (*easy_cleanup)(CURL *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    int loaded;
    char problem[200];
} curl;

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        strncpy(curl.problem, "libcurl is not installed (apt-get install libcurl4)", sizeof curl.problem - 1);
        return;
    }
#define LOAD(field, name) *(void **)&curl.field = dlsym(library, name); if (!curl.field) { strncpy(curl.problem, "libcurl lacks " name, sizeof curl.problem - 1); return; }
    LOAD(global_init, "curl_global_init")
    LOAD(easy_init, "curl_easy_init")
    LOAD(easy_setopt, "curl_easy_setopt")
    LOAD(easy_perform, "curl_easy_perform")
    LOAD(easy_getinfo, "curl_easy_getinfo")
    LOAD(easy_strerror, "curl_easy_strerror")
    LOAD(easy_cleanup, "curl_easy_cleanup")
    LOAD(slist_append, "curl_slist_append")
    LOAD(slist_free_all, "curl_slist_free_all")
#undef LOAD
    curl.global_init(CURL_GLOBAL_ALL);
    curl.loaded = 1;
}

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
    if (!curl.loaded) {
        result->code = CURLE_FAILED_INIT;
        strncpy(result->error, curl.problem, sizeof result->error - 1);
        return;
    }
    CURL *handle = curl.easy_init();
    if (!handle) {
        result->code = CURLE_FAILED_INIT;
        strncpy(result->error, "cannot start libcurl", sizeof result->error - 1);
        return;
    }
    struct curl_slist *headers = NULL;
    for (size_t i = 0; i < request->header_count; i++) headers = curl.slist_append(headers, request->headers[i]);
    /* No "Expect: 100-continue" round trip before a body. */
    headers = curl.slist_append(headers, "Expect:");
    sink_box box = {sink, context};

    curl.easy_setopt(handle, CURLOPT_URL, request->url);
    curl.easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request->method);
    curl.easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    /* Straight to the service, whatever http_proxy and https_proxy say: a database cluster's REST API or etcd
       is never meant to be reached through a web proxy. */
    curl.easy_setopt(handle, CURLOPT_PROXY, "");
    /* HTTP/1.1 on every server alike: etcd offers HTTP/2 to a TLS client, where a refused client certificate
       reads as a framing error, and one request per connection gains nothing from it. */
    curl.easy_setopt(handle, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl.easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl.easy_setopt(handle, CURLOPT_USERAGENT, "pitstop");
    curl.easy_setopt(handle, CURLOPT_ERRORBUFFER, result->error);
    curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
    curl.easy_setopt(handle, CURLOPT_WRITEDATA, &box);
    if (request->body) {
        curl.easy_setopt(handle, CURLOPT_POSTFIELDS, request->body);
        curl.easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_length);
    } else if (strcmp(request->method, "GET") == 0) {
        curl.easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    }
    if (request->timeout_ms > 0) curl.easy_setopt(handle, CURLOPT_TIMEOUT_MS, request->timeout_ms);
    if (request->connect_timeout_ms > 0) curl.easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, request->connect_timeout_ms);
    if (request->ca_file) curl.easy_setopt(handle, CURLOPT_CAINFO, request->ca_file);
    if (request->cert_file) curl.easy_setopt(handle, CURLOPT_SSLCERT, request->cert_file);
    if (request->key_file) curl.easy_setopt(handle, CURLOPT_SSLKEY, request->key_file);

    CURLcode code = curl.easy_perform(handle);
    result->code = (int)code;
    curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result->status);
    curl.easy_getinfo(handle, CURLINFO_OS_ERRNO, &result->os_errno);
    if (code != CURLE_OK && result->error[0] == 0) strncpy(result->error, curl.easy_strerror(code), sizeof result->error - 1);
    result->error[sizeof result->error - 1] = 0;
    curl.slist_free_all(headers);
    curl.easy_cleanup(handle);
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
