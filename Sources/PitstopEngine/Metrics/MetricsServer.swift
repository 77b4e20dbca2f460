import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Why the metrics endpoint could not be served.
public struct MetricsServerError: Error, CustomStringConvertible {
    public let description: String
}

/// Serves `GET /metrics`: the text the engine's loop last published, so a scrape never waits on the loop or
/// touches the store. Each connection is answered on a thread of its own within its own deadline (a client
/// that dribbles its request or never reads the page is cut off, and blocks no other), at most
/// `mostClients` at once.
public final class MetricsServer: Sendable {
    /// `ADDR:PORT` actually bound (a port of 0 picks a free one).
    public let address: String
    private let fd: Int32
    private let page = Mutex("")
    private let stopped = Mutex(false)
    private let clients = Mutex(0)
    /// Connections served at once; one more is closed at once.
    static let mostClients = 64
    /// How long one connection may take, request and answer together.
    static let clientDeadline: TimeInterval = 5

    /// Binds `ADDR:PORT` (`PORT` alone: loopback) and starts serving.
    public init(_ given: String) throws {
        let (host, port) = try Self.parse(given)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw MetricsServerError(description: "--metrics \(given): \(host) is not an IPv4 address (e.g. 127.0.0.1:9464)")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw MetricsServerError(description: "--metrics: cannot make a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw MetricsServerError(description: "--metrics \(given): cannot listen there: \(why)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        self.address = "\(host):\(UInt16(bigEndian: actual.sin_port))"
        Thread.detachNewThread { [self] in serve() }
    }

    /// `ADDR:PORT`, or `PORT` for loopback.
    static func parse(_ text: String) throws -> (String, UInt16) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let host = parts.count == 2 ? String(parts[0]) : "127.0.0.1"
        guard parts.count <= 2, let port = UInt16(parts.last ?? ""), !host.isEmpty else {
            throw MetricsServerError(description: "--metrics \(text): give ADDR:PORT (e.g. 127.0.0.1:9464) or a port")
        }
        return (host, port)
    }

    /// The text the next scrape gets.
    public func publish(_ text: String) { page.withLock { $0 = text } }

    public func stop() {
        stopped.withLock { $0 = true }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func serve() {
        while !stopped.withLock({ $0 }) {
            let client = accept(fd, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                return
            }
            let admitted = clients.withLock { count in
                guard count < Self.mostClients else { return false }
                count += 1
                return true
            }
            guard admitted else {
                close(client)
                continue
            }
            Thread.detachNewThread { [self] in
                answer(client, deadline: Date().addingTimeInterval(Self.clientDeadline))
                close(client)
                clients.withLock { $0 -= 1 }
            }
        }
    }

    private func answer(_ client: Int32, deadline: Date) {
        // Each call waits at most a fraction of a second, so the deadline is looked at between them.
        var timeout = timeval(tv_sec: 0, tv_usec: 250_000)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 2048)
        while request.count < 8192, !request.containsHeaderEnd {
            guard Date() < deadline else { return }
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            guard count > 0 else { break }
            request += buffer[0..<count]
        }
        let line = String(decoding: request.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self).split(separator: " ")
        let (status, type, body): (String, String, String)
        if line.count >= 2, line[0] == "GET", line[1] == "/metrics" || line[1].hasPrefix("/metrics?") {
            (status, type, body) = ("200 OK", "text/plain; version=0.0.4; charset=utf-8", page.withLock { $0 })
        } else if line.count >= 2, line[0] != "GET" {
            (status, type, body) = ("405 Method Not Allowed", "text/plain", "only GET /metrics\n")
        } else {
            (status, type, body) = ("404 Not Found", "text/plain", "pitstop serves /metrics\n")
        }
        let bytes = Array("HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
        var sent = 0
        while sent < bytes.count, Date() < deadline {
            let count = bytes.withUnsafeBytes { send(client, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            guard count > 0 else { return }
            sent += count
        }
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4) where self[index] == 0x0D && self[index + 1] == 0x0A && self[index + 2] == 0x0D && self[index + 3] == 0x0A { return true }
        return false
    }
}
