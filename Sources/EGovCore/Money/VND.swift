/// Amounts in Vietnamese đồng: whole đồng (the currency has no smaller unit in use).
public enum VND {
    /// `1000000` → `1.000.000 đ`, as Vietnamese write amounts.
    public static func format(_ amount: Int) -> String {
        let digits = Array(String(abs(amount)))
        var out = amount < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "." }
            out.append(digit)
        }
        return out + " đ"
    }
}
