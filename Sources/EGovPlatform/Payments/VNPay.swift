import Crypto
import EGovCore
import Foundation

/// The VNPay 2.1.0 payment protocol (the one the national payment platform's gateways speak):
/// a payment URL carrying `vnp_*` parameters signed with HMAC-SHA512, and the return and IPN
/// callbacks, signed the same way. Pure functions: the module keeps the orders, the gateway or the
/// sandbox keeps the money.
public enum VNPay {
    public static let version = "2.1.0"
    static let hashKeys: Set<String> = ["vnp_SecureHash", "vnp_SecureHashType"]

    /// Response and transaction status meaning "paid".
    public static let success = "00"

    /// The signed string: every `vnp_` parameter but the hash, keys ascending, form-encoded.
    public static func signedData(_ parameters: [String: String]) -> String {
        parameters.filter { $0.key.hasPrefix("vnp_") && !hashKeys.contains($0.key) && !$0.value.isEmpty }
            .sorted { $0.key < $1.key }
            .map { "\(formEncode($0.key))=\(formEncode($0.value))" }
            .joined(separator: "&")
    }

    public static func secureHash(_ parameters: [String: String], secret: String) -> String {
        let mac = HMAC<SHA512>.authenticationCode(for: Data(signedData(parameters).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.hexEncoded
    }

    /// The parameters with their `vnp_SecureHash` added.
    public static func signed(_ parameters: [String: String], secret: String) -> [String: String] {
        var all = parameters
        all["vnp_SecureHash"] = secureHash(parameters, secret: secret)
        return all
    }

    /// Whether the parameters carry a valid signature (constant-time comparison).
    public static func verify(_ parameters: [String: String], secret: String) -> Bool {
        guard let sent = parameters["vnp_SecureHash"]?.lowercased() else { return false }
        return ConstantTime.equal(sent, secureHash(parameters, secret: secret))
    }

    /// `base?query` with the parameters signed, in the order the gateway documents them (sorted).
    public static func url(base: String, parameters: [String: String], secret: String) -> String {
        let query = signedData(parameters) + "&vnp_SecureHash=" + secureHash(parameters, secret: secret)
        return base + (base.contains("?") ? "&" : "?") + query
    }

    /// An order to pay, as the merchant describes it.
    public struct Order: Sendable {
        public var txnRef: String
        /// Whole đồng.
        public var amount: Int
        public var orderInfo: String
        public var returnURL: String
        public var clientAddress: String
        public var createdAt: Date
        public var expiresAt: Date
        public var locale: String
        public var bankCode: String?

        public init(txnRef: String, amount: Int, orderInfo: String, returnURL: String, clientAddress: String, createdAt: Date,
                    expiresAt: Date, locale: String = "vn", bankCode: String? = nil) {
            self.txnRef = txnRef
            self.amount = amount
            self.orderInfo = orderInfo
            self.returnURL = returnURL
            self.clientAddress = clientAddress
            self.createdAt = createdAt
            self.expiresAt = expiresAt
            self.locale = locale
            self.bankCode = bankCode
        }
    }

    /// VNPay counts in hundredths of a đồng; amounts are capped at `VND.maximum` where they are entered,
    /// and clamped here too, so the product cannot overflow.
    static func hundredths(_ amount: Int) -> Int { min(max(amount, 0), VND.maximum) * 100 }

    /// The payment URL the applicant's browser is sent to.
    public static func paymentURL(gateway: String, tmnCode: String, secret: String, order: Order) -> String {
        var parameters: [String: String] = [
            "vnp_Version": version, "vnp_Command": "pay", "vnp_TmnCode": tmnCode,
            // VNPay counts in hundredths of a đồng.
            "vnp_Amount": String(hundredths(order.amount)), "vnp_CurrCode": "VND", "vnp_TxnRef": order.txnRef,
            "vnp_OrderInfo": order.orderInfo, "vnp_OrderType": "other", "vnp_Locale": order.locale,
            "vnp_ReturnUrl": order.returnURL, "vnp_IpAddr": order.clientAddress,
            "vnp_CreateDate": timestamp(order.createdAt), "vnp_ExpireDate": timestamp(order.expiresAt),
        ]
        if let bank = order.bankCode, !bank.isEmpty { parameters["vnp_BankCode"] = bank }
        return url(base: gateway, parameters: parameters, secret: secret)
    }

    /// What a return or IPN callback says, once its signature is checked.
    public struct Callback: Sendable, Equatable {
        public var tmnCode: String
        public var txnRef: String
        /// Whole đồng (the callback's `vnp_Amount` / 100).
        public var amount: Int
        public var responseCode: String
        public var transactionStatus: String
        public var transactionNo: String
        public var bankCode: String
        public var payDate: String

        /// Paid: both codes say so (a response code alone is not enough).
        public var isSuccess: Bool { responseCode == VNPay.success && transactionStatus == VNPay.success }
    }

    public enum CallbackError: Error, Equatable {
        case badSignature
        case missing(String)
        case badAmount
    }

    public static func callback(_ parameters: [String: String], secret: String) throws(CallbackError) -> Callback {
        guard verify(parameters, secret: secret) else { throw .badSignature }
        func field(_ name: String) throws(CallbackError) -> String {
            guard let value = parameters[name], !value.isEmpty else { throw .missing(name) }
            return value
        }
        let rawAmount = try field("vnp_Amount")
        guard rawAmount.utf8.count <= 20, let hundredths = Int(rawAmount), (0...VND.maximum * 100).contains(hundredths), hundredths % 100 == 0
        else { throw .badAmount }
        return Callback(tmnCode: try field("vnp_TmnCode"), txnRef: try field("vnp_TxnRef"), amount: hundredths / 100,
                        responseCode: try field("vnp_ResponseCode"), transactionStatus: parameters["vnp_TransactionStatus"] ?? "",
                        transactionNo: parameters["vnp_TransactionNo"] ?? "", bankCode: parameters["vnp_BankCode"] ?? "",
                        payDate: parameters["vnp_PayDate"] ?? "")
    }

    /// `yyyyMMddHHmmss` in Vietnam time (GMT+7), as the protocol wants.
    public static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = WorkingDayCalendar.vietnamTimeZone
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: date)
    }

    /// Form encoding as PHP's `urlencode` does it (the reference implementation signs that string):
    /// letters, digits and `-_.` stay, a space becomes `+`, every other byte is `%XX`.
    public static func formEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

/// The gateway this installation sends applicants to: a real VNPay-protocol gateway, or the sandbox.
public struct PaymentGateway: Sendable {
    public static let sandboxPath = "/payment-sandbox/paymentv2/vpcpay.html"
    /// Where this server takes the gateway's IPN (registered by the module that sells).
    public static let ipnPath = "/api/v1/payments/vnpay/ipn"

    public let url: String
    public let tmnCode: String
    public let secret: String
    public let isSandbox: Bool

    public init(url: String, tmnCode: String, secret: String, isSandbox: Bool) {
        self.url = url
        self.tmnCode = tmnCode
        self.secret = secret
        self.isSandbox = isSandbox
    }

    /// The configured gateway, the sandbox when it was asked for, or nil: no online payment.
    public init?(configuration: EGovConfiguration, secrets: Secrets) {
        let settings = configuration.payment
        guard settings.gatewayURL != nil || settings.sandboxEnabled else { return nil }
        let secret = settings.hashSecret ?? secrets.key(for: "vnpay-sandbox").withUnsafeBytes { Data($0) }.hexEncoded
        self.init(url: settings.gatewayURL ?? configuration.baseURL + Self.sandboxPath, tmnCode: settings.tmnCode, secret: secret,
                  isSandbox: settings.usesSandbox)
    }
}
