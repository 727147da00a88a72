import EGovPlatform
@testable import EGovServer
import Foundation
import NIOCore
import NIOPosix
import Testing
import Vapor
import VaporTesting

@Suite("Forms whose body arrives in pieces")
struct SlowFormTests {
    /// A browser may send a form's head and body in separate packets; the CSRF check must wait for the
    /// body instead of finding no token (this once refused every multipart application with a 403).
    @Test("the CSRF token is found in a body that arrives after the head")
    func bodyInPieces() async throws {
        try await TestInstallation.with(.sqlite) { egov in
            let browser = egov.browser()
            _ = try await browser.signIn("motcua.benthuy")
            try await browser.get("/")
            let token = try #require(browser.csrfToken)
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")

            try await egov.app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await egov.app.server.shutdown() } }
            let port = try #require(egov.app.http.server.shared.localAddress?.port)

            let body = "_csrf=" + Browser.encode(token)
            let head = "POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
            let answer = try await channel.executeThenClose { inbound, outbound in
                // The head with the start of the body, then the rest: the server starts streaming the body.
                let split = body.index(body.startIndex, offsetBy: 3)
                try await outbound.write(ByteBuffer(string: head + body[..<split]))
                try await Task.sleep(for: .milliseconds(300))
                try await outbound.write(ByteBuffer(string: String(body[split...])))
                var text = ""
                for try await chunk in inbound {
                    text += String(buffer: chunk)
                    if text.contains("\r\n\r\n") { break }
                }
                return text
            }
            let status = answer.split(separator: "\r\n").first.map(String.init) ?? ""
            #expect(status.hasPrefix("HTTP/1.1 303"), "\(status)")
        }
    }
}
