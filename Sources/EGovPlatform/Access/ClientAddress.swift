import Foundation

/// Who is on the other end of a request. `X-Forwarded-For` is believed only when the peer is one of
/// the configured reverse proxies (`EGOV_TRUSTED_PROXIES`); otherwise anyone could name any address
/// and slip past per-address limits, the audit log and `/metrics`' loopback rule.
public struct TrustedProxies: Sendable {
    private let entries: [(network: [UInt8], prefix: Int)]
    private let exact: Set<String>

    public init(_ list: [String]) {
        var entries: [([UInt8], Int)] = []
        var exact: Set<String> = []
        for item in list {
            let parts = item.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2, let bytes = Self.ipv4(parts[0]), let prefix = Int(parts[1]), (0...32).contains(prefix) {
                entries.append((bytes, prefix))
            } else {
                exact.insert(item)
            }
        }
        self.entries = entries
        self.exact = exact
    }

    public var isEmpty: Bool { entries.isEmpty && exact.isEmpty }

    public func contains(_ address: String) -> Bool {
        if exact.contains(address) { return true }
        guard let bytes = Self.ipv4(address) else { return false }
        return entries.contains { entry in
            var bits = entry.prefix
            for index in 0..<4 where bits > 0 {
                let take = min(bits, 8)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
                if bytes[index] & mask != entry.network[index] & mask { return false }
                bits -= take
            }
            return true
        }
    }

    /// The client: the peer, or — when the peer is a trusted proxy — the right-most address of
    /// `X-Forwarded-For` (or, without it, of RFC 7239 `Forwarded: for=`) that is not itself a trusted proxy.
    public func client(peer: String?, forwardedFor: [String], forwarded: [String] = []) -> String? {
        guard let peer else { return nil }
        guard contains(peer) else { return peer }
        var hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if hops.isEmpty {
            hops = forwarded.flatMap { $0.split(separator: ",") }.compactMap { element in
                element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    .first { $0.lowercased().hasPrefix("for=") }
                    .map { String($0.dropFirst(4)).trimmingCharacters(in: CharacterSet(charactersIn: "\"[]")) }
            }.filter { !$0.isEmpty }
        }
        for hop in hops.reversed() where !contains(hop) {
            return hop.utf8.count <= 64 ? hop : peer
        }
        return hops.first ?? peer
    }

    /// Whether an address is this machine.
    public static func isLoopback(_ address: String?) -> Bool {
        guard let address else { return false }
        return address == "::1" || address.hasPrefix("127.") || address == "::ffff:127.0.0.1"
    }

    private static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { $0.count <= 3 ? UInt8($0) : nil }
        return bytes.count == 4 ? bytes : nil
    }
}
