public import Foundation
import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 answer: status, headers (names lower-cased) and body.
public struct HTTPResponse: Sendable {
    /// The status code (200, 412, 503…).
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    /// The body, de-chunked.
    public var body: Data

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why an HTTP request got no answer, said so that a person can act on it.
public enum HTTPError: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    case unsupportedScheme(String)
    case unresolved(host: String, reason: String)
    case connect(url: String, reason: String)
    case timedOut(url: String, seconds: Double)
    case io(url: String, reason: String)
    case malformed(url: String, reason: String)

    public var description: String {
        switch self {
        case .badURL(let url): "not an http://HOST:PORT URL: \(url)"
        case .unsupportedScheme(let url): "\(url): only http:// is supported (for a TLS REST API, put a local proxy in front of it)"
        case .unresolved(let host, let reason): "cannot resolve \(host): \(reason)"
        case .connect(let url, let reason): "cannot connect to \(url): \(reason)"
        case .timedOut(let url, let seconds): "\(url) did not answer within \(DurationText.format(seconds))"
        case .io(let url, let reason): "\(url): \(reason)"
        case .malformed(let url, let reason): "\(url) gave a malformed HTTP answer: \(reason)"
        }
    }
}

/// A small blocking HTTP/1.1 client over a socket (`Connection: close`), for the REST APIs of the services
/// Pitstop drives (Patroni): one request, one connection, a deadline over the whole exchange. No TLS.
public enum HTTPClient {
    /// Sends one request and reads the whole answer before `timeout` seconds pass.
    public static func request(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:],
                               timeout: Double = 5) throws(HTTPError) -> HTTPResponse {
        let target = try Target(url)
        let deadline = Date().addingTimeInterval(timeout)
        let socket = try connect(target, url: url, deadline: deadline, timeout: timeout)
        defer { close(socket) }
        var head = "\(method) \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nConnection: close\r\nUser-Agent: pitstop\r\nAccept: application/json\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body {
            if headers.keys.contains(where: { $0.lowercased() == "content-type" }) == false { head += "Content-Type: application/json\r\n" }
            head += "Content-Length: \(body.count)\r\n"
        }
        var request = Data((head + "\r\n").utf8)
        if let body { request.append(body) }
        try send(socket, request, url: url, deadline: deadline, timeout: timeout)
        let raw = try receive(socket, url: url, deadline: deadline, timeout: timeout)
        return try parse(raw, url: url)
    }

    /// `GET url`.
    public static func get(_ url: String, timeout: Double = 5) throws(HTTPError) -> HTTPResponse {
        try request("GET", url, timeout: timeout)
    }

    /// Where a URL points.
    struct Target {
        var host: String
        var port: UInt16
        var path: String
        var hostHeader: String

        init(_ url: String) throws(HTTPError) {
            guard url.hasPrefix("http://") else {
                if url.hasPrefix("https://") { throw .unsupportedScheme(url) }
                throw .badURL(url)
            }
            let rest = url.dropFirst("http://".count)
            let authority = rest.prefix { $0 != "/" }
            path = rest.count > authority.count ? String(rest.dropFirst(authority.count)) : "/"
            hostHeader = String(authority)
            var hostPart = Substring(authority)
            var portPart: Substring = "80"
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else { throw .badURL(url) }
                hostPart = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty { throw .badURL(url) }
            } else if let colon = authority.lastIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            }
            guard !hostPart.isEmpty, let port = UInt16(portPart), port > 0 else { throw .badURL(url) }
            host = String(hostPart)
            self.port = port
        }
    }

    private static func remaining(_ deadline: Date) -> Int32 { Int32(max(0, deadline.timeIntervalSinceNow * 1000).rounded(.up)) }

    private static func connect(_ target: Target, url: String, deadline: Date, timeout: Double) throws(HTTPError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard status == 0, let first = list else {
            throw .unresolved(host: target.host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            guard errno == EINPROGRESS else {
                lastError = String(cString: strerror(errno))
                close(fd)
                continue
            }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, remaining(deadline))
            if ready == 0 {
                close(fd)
                throw .timedOut(url: url, seconds: timeout)
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if ready > 0 && error == 0 { return fd }
            lastError = String(cString: strerror(error != 0 ? error : errno))
            close(fd)
        }
        throw .connect(url: url, reason: lastError)
    }

    private static func send(_ fd: Int32, _ data: Data, url: String, deadline: Date, timeout: Double) throws(HTTPError) {
        var sent = 0
        while sent < data.count {
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&poller, 1, remaining(deadline)) > 0 else { throw .timedOut(url: url, seconds: timeout) }
            let written = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, data.count - sent, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw .io(url: url, reason: "sending: \(String(cString: strerror(errno)))")
            }
            sent += written
        }
    }

    private static func receive(_ fd: Int32, url: String, deadline: Date, timeout: Double) throws(HTTPError) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, remaining(deadline)) > 0 else { throw .timedOut(url: url, seconds: timeout) }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw .io(url: url, reason: "reading: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
            guard data.count <= 64 << 20 else { throw .malformed(url: url, reason: "an answer over 64 MiB") }
        }
    }

    /// Status line, headers and body (by Content-Length, chunked, or to the end).
    static func parse(_ raw: Data, url: String) throws(HTTPError) -> HTTPResponse {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = raw.range(of: separator) else { throw .malformed(url: url, reason: raw.isEmpty ? "no answer (connection closed)" : "no end of headers") }
        let head = String(decoding: raw[raw.startIndex..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw .malformed(url: url, reason: "status line \"\(head[0].prefix(60))\"")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(raw[end.upperBound...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try dechunk(body, url: url)
        } else if let length = headers["content-length"].flatMap(Int.init) {
            guard body.count >= length else { throw .malformed(url: url, reason: "\(body.count) of \(length) bytes of body") }
            body = body.prefix(length)
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: Data, url: String) throws(HTTPError) -> Data {
        var out = Data()
        var index = data.startIndex
        let crlf = Data("\r\n".utf8)
        while true {
            guard let lineEnd = data.range(of: crlf, in: index..<data.endIndex) else { throw .malformed(url: url, reason: "a cut chunk") }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";")[0...].first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { throw .malformed(url: url, reason: "chunk size \"\(sizeText)\"") }
            if size == 0 { return out }
            let start = lineEnd.upperBound
            guard data.distance(from: start, to: data.endIndex) >= size + 2 else { throw .malformed(url: url, reason: "a cut chunk") }
            let stop = data.index(start, offsetBy: size)
            out.append(data[start..<stop])
            index = data.index(stop, offsetBy: 2)
        }
    }
}
