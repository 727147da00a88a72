import Crypto
import Foundation

/// Random bearer values (refresh tokens, session ids, CSRF tokens): 256 bits, base64url without
/// padding, so they travel in cookies, headers and form fields as they are (43 characters).
public enum RandomToken {
    public static func make() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// Comparing secrets without telling an attacker, through the time taken, how much of a guess was right.
public enum ConstantTime {
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
