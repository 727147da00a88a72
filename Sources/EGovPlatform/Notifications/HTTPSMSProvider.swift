import Vapor

/// Sends text messages through an operator's HTTP API: a JSON POST `{"to","text"}` with a bearer
/// token. Operators' APIs differ; this is the common shape, and the place to adapt one.
public struct HTTPSMSProvider: SMSProvider {
    let url: String
    let token: String?
    let client: any Client

    public init(url: String, token: String?, client: any Client) {
        self.url = url
        self.token = token
        self.client = client
    }

    struct Payload: Content {
        let to: String
        let text: String
    }

    public func send(to phone: String, text: String) async throws {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        let response = try await client.post(URI(string: url), headers: headers, content: Payload(to: phone, text: text))
        guard (200..<300).contains(response.status.code) else { throw Abort(.badGateway, reason: "SMS provider answered \(response.status.code)") }
    }
}
