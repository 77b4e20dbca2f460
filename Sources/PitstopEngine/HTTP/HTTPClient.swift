public import Foundation
import CPitstopCurl
import PitstopCore

/// An HTTP answer: status and body.
public struct HTTPResponse: Sendable {
    /// The status code (200, 412, 503…).
    public var status: Int
    /// The body, as sent (de-chunked).
    public var body: Data

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// The files of a TLS client: the CA that signed the server's certificate, and this client's certificate and
/// key when the server asks for one (etcd with `--client-cert-auth`). PEM files; nil: curl's default.
public struct TLSFiles: Sendable, Equatable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}

/// Why an HTTP request got no answer, said so that a person can act on it.
public enum HTTPError: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    case unresolved(url: String, reason: String)
    case connect(url: String, reason: String)
    case timedOut(url: String, seconds: Double)
    /// The TLS handshake failed: a certificate refused (by either side), a file that cannot be read.
    case tls(url: String, reason: String)
    case io(url: String, reason: String)

    public var description: String {
        switch self {
        case .badURL(let url): "not an http:// or https:// URL: \(url)"
        case .unresolved(let url, let reason): "cannot resolve the host of \(url): \(reason)"
        case .connect(let url, let reason): "cannot connect to \(url): \(reason)"
        case .timedOut(let url, let seconds): "\(url) did not answer within \(DurationText.format(seconds))"
        case .tls(let url, let reason): "TLS with \(url) failed: \(reason)"
        case .io(let url, let reason): "\(url): \(reason)"
        }
    }
}

/// A small blocking HTTP client on libcurl (http and https, client certificates), for the REST APIs Pitstop
/// drives: Patroni's, and etcd's JSON gateway. One request, one connection, a deadline over the whole exchange.
public enum HTTPClient {
    /// Answers larger than this are refused (no REST answer Pitstop reads comes near it).
    static let answerLimit = 64 << 20

    /// Sends one request and reads the whole answer before `timeout` seconds pass.
    public static func request(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:],
                               timeout: Double = 5, tls: TLSFiles? = nil) throws(HTTPError) -> HTTPResponse {
        final class Collected { var data = Data(); var over = false }
        let collected = Collected()
        let status = try perform(method, url, body: body, headers: headers, timeout: timeout, tls: tls) { chunk in
            collected.data.append(chunk)
            if collected.data.count > answerLimit { collected.over = true }
            return !collected.over
        }
        if collected.over { throw .io(url: url, reason: "an answer over \(answerLimit >> 20) MiB") }
        return HTTPResponse(status: status, body: collected.data)
    }

    /// `GET url`.
    public static func get(_ url: String, timeout: Double = 5, tls: TLSFiles? = nil) throws(HTTPError) -> HTTPResponse {
        try request("GET", url, timeout: timeout, tls: tls)
    }

    /// Sends one request and hands the answer's body to `receive` as it arrives, until the server ends it or
    /// `receive` returns false (the end of a stream, such as etcd's watch); `timeout` 0 sets no deadline.
    /// Returns the status; stopping by `receive` is not an error.
    @discardableResult
    public static func stream(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:],
                              timeout: Double = 0, connectTimeout: Double = 5, tls: TLSFiles? = nil,
                              receive: @escaping (Data) -> Bool) throws(HTTPError) -> Int {
        try perform(method, url, body: body, headers: headers, timeout: timeout, connectTimeout: connectTimeout, tls: tls, receive: receive)
    }

    private final class Sink {
        let receive: (Data) -> Bool
        var stopped = false
        init(_ receive: @escaping (Data) -> Bool) { self.receive = receive }
    }

    private static func perform(_ method: String, _ url: String, body: Data?, headers: [String: String], timeout: Double,
                                connectTimeout: Double? = nil, tls: TLSFiles?, receive: @escaping (Data) -> Bool) throws(HTTPError) -> Int {
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > "https://".count else { throw .badURL(url) }
        var lines = ["Accept: application/json"]
        if body != nil, !headers.keys.contains(where: { $0.lowercased() == "content-type" }) { lines.append("Content-Type: application/json") }
        lines += headers.map { "\($0.key): \($0.value)" }
        let sink = Sink(receive)
        var result = pitstop_http_result()
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        // Every C string lives across the call: a String passed straight into the struct's initializer would be
        // a pointer valid for that initializer alone.
        withCStrings([url, method] + lines) { pointers in
            let headerPointers = pointers + 2
            withOptionalCString(tls?.caFile) { ca in
                withOptionalCString(tls?.certFile) { cert in
                    withOptionalCString(tls?.keyFile) { key in
                        let bytes = body ?? Data()
                        bytes.withUnsafeBytes { raw in
                            var request = pitstop_http_request(
                                url: pointers[0], method: pointers[1], body: body == nil ? nil : (raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)),
                                body_length: bytes.count, headers: headerPointers, header_count: lines.count,
                                ca_file: ca, cert_file: cert, key_file: key,
                                timeout_ms: timeout > 0 ? Int(timeout * 1000) : 0,
                                connect_timeout_ms: Int((connectTimeout ?? (timeout > 0 ? timeout : 5)) * 1000))
                            pitstop_http_perform(&request, { data, length, context in
                                let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
                                let chunk = data.map { Data(bytes: $0, count: length) } ?? Data()
                                if sink.receive(chunk) { return 0 }
                                sink.stopped = true
                                return 1
                            }, box.toOpaque(), &result)
                        }
                    }
                }
            }
        }
        let reason = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        switch result.code {
        case 0: return result.status
        case Int32(PITSTOP_HTTP_WRITE_STOPPED) where sink.stopped: return result.status
        case Int32(PITSTOP_HTTP_UNRESOLVED): throw .unresolved(url: url, reason: reason)
        case Int32(PITSTOP_HTTP_CONNECT):
            throw .connect(url: url, reason: result.os_errno != 0 ? String(cString: strerror(Int32(result.os_errno))) : reason)
        case Int32(PITSTOP_HTTP_TIMED_OUT): throw .timedOut(url: url, seconds: timeout > 0 ? timeout : connectTimeout ?? 5)
        default:
            // A server that refuses the client's certificate says so in an alert the client reads after the
            // handshake: curl reports a receive error naming SSL.
            if pitstop_http_is_tls_error(result.code) != 0 || (url.hasPrefix("https://") && reason.contains("SSL")) {
                throw .tls(url: url, reason: reason)
            }
            // Under TLS 1.3 a server checks the client's certificate after the handshake, and one it refuses
            // sees its connection closed on its first request.
            if url.hasPrefix("https://"), result.code == Int32(PITSTOP_HTTP_SEND_FAILED) || result.code == Int32(PITSTOP_HTTP_RECEIVE_FAILED) {
                throw .tls(url: url, reason: "the server closed the connection after the handshake (\(reason)): it does not trust this client's certificate, or wants one")
            }
            throw .io(url: url, reason: reason)
        }
    }

    /// Calls `body` with C strings of `strings`, alive for the call.
    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    private static func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let string else { return body(nil) }
        return string.withCString { body($0) }
    }
}
