"""Name parts of the synthetic nation: the 34 provinces and cities after the 2025 merger, and
Vietnamese names (a copy of the demo's most frequent parts: reports may not import demo)."""

from __future__ import annotations

# (name, is a centrally governed city)
PROVINCES: tuple[tuple[str, bool], ...] = (
    ("Hà Nội", True), ("Huế", True), ("Lai Châu", False), ("Điện Biên", False),
    ("Sơn La", False), ("Lạng Sơn", False), ("Quảng Ninh", False), ("Thanh Hóa", False),
    ("Nghệ An", False), ("Hà Tĩnh", False), ("Cao Bằng", False), ("Tuyên Quang", False),
    ("Lào Cai", False), ("Thái Nguyên", False), ("Phú Thọ", False), ("Bắc Ninh", False),
    ("Hưng Yên", False), ("Hải Phòng", True), ("Ninh Bình", False), ("Quảng Trị", False),
    ("Đà Nẵng", True), ("Quảng Ngãi", False), ("Gia Lai", False), ("Khánh Hòa", False),
    ("Lâm Đồng", False), ("Đắk Lắk", False), ("Hồ Chí Minh", True), ("Đồng Nai", False),
    ("Tây Ninh", False), ("Cần Thơ", True), ("Vĩnh Long", False), ("Đồng Tháp", False),
    ("Cà Mau", False), ("An Giang", False),
)  # fmt: skip

PLACE_NAMES: tuple[str, ...] = (
    "Tân Lập", "Hòa Bình", "Đông Phong", "Yên Hòa", "Nghĩa Lộc", "Tân Sơn", "Nam Giang",
    "Bắc Thành", "Hưng Phú", "Phú Mỹ", "An Phú", "Long Hưng", "Thạnh Lợi", "Vĩnh Phúc",
    "Minh Khai", "Quang Trung", "Thống Nhất", "Đồng Tâm", "Hợp Thành", "Xuân Lộc", "Tam Hiệp",
    "Phước Hòa", "Bình An", "Thanh Xuân", "Cẩm Thủy", "Kim Sơn", "Hải Châu", "Sơn Trà",
    "Ngọc Lặc", "Tiên Lữ", "Định Hóa", "Mường Thanh", "Bảo Lâm", "Krông Pắc", "Ea Kar",
    "Châu Thành", "Cái Răng", "Ninh Kiều", "Tri Tôn", "Hồng Ngự",
)  # fmt: skip

FAMILY: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 28), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 1.1),
    ("Phan", 4.5), ("Vũ", 2.6), ("Võ", 1.3), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 1), ("Trịnh", 0.8), ("Đoàn", 0.8),
    ("Trương", 0.8), ("Lương", 0.6), ("Cao", 0.6), ("Mai", 0.5), ("Lưu", 0.5), ("Tạ", 0.4),
    ("Chu", 0.4), ("Hà", 0.6), ("Thái", 0.4), ("Tô", 0.4), ("Kiều", 0.3), ("Lâm", 0.4),
)  # fmt: skip
MALE_MIDDLE: tuple[str, ...] = (
    "Văn", "Văn", "Văn", "Đức", "Xuân", "Đình", "Hữu", "Quang", "Công", "Ngọc", "Minh",
    "Thanh", "Trọng", "Duy", "Mạnh", "Tiến", "Gia", "Thế",
)  # fmt: skip
FEMALE_MIDDLE: tuple[str, ...] = (
    "Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Kim", "Thanh", "Hồng", "Bích", "Minh",
    "Phương", "Thùy", "Hải", "Bảo", "Diệu", "Khánh", "Mai",
)  # fmt: skip
MALE_GIVEN: tuple[str, ...] = (
    "Bình", "Chiến", "Cường", "Dũng", "Đông", "Đức", "Hải", "Hòa", "Hùng", "Hưng", "Khánh",
    "Lâm", "Lộc", "Long", "Lợi", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn", "Tài",
    "Thắng", "Thành", "Thịnh", "Thọ", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Vinh", "An",
    "Anh", "Bảo", "Duy", "Đạt", "Hiếu", "Hoàng", "Huy", "Khang", "Khoa", "Kiên", "Quân", "Tâm",
    "Việt", "Vũ", "Tú", "Thái", "Trường", "Hiệp",
)  # fmt: skip
FEMALE_GIVEN: tuple[str, ...] = (
    "Bình", "Cúc", "Dung", "Đào", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Hương", "Huệ",
    "Lan", "Liên", "Loan", "Lụa", "Mai", "Nga", "Nhung", "Oanh", "Phượng", "Sen", "Tâm",
    "Thanh", "Thảo", "Thu", "Thủy", "Tuyết", "Vân", "Xuân", "Yến", "Anh", "Chi", "Giang",
    "Huyền", "Linh", "Ly", "Ngân", "Ngọc", "Phương", "Quyên", "Quỳnh", "Trang", "Trâm", "Vy",
    "Nhi", "Thư", "Châu",
)  # fmt: skip
OCCUPATIONS: tuple[str, ...] = (
    "Hưu trí", "Nông dân", "Giáo viên", "Công chức", "Viên chức", "Công nhân", "Kinh doanh",
    "Bác sĩ", "Kỹ sư", "Cán bộ không chuyên trách", "Sinh viên", "Công an", "Quân nhân",
)  # fmt: skip

# (cell type, weight, name pattern): {n} a number, {place} a place name.
CELL_TYPES: tuple[tuple[str, float, str], ...] = (
    ("village", 30, "Chi bộ thôn {n}"),
    ("residential_group", 28, "Chi bộ tổ dân phố số {n}"),
    ("apartment_building", 2, "Chi bộ khu chung cư {place} {n}"),
    ("agency", 10, "Chi bộ Văn phòng cơ quan số {n}"),
    ("public_service_unit", 6, "Chi bộ Trung tâm dịch vụ công {n}"),
    ("school", 9, "Chi bộ Trường Tiểu học {place} {n}"),
    ("health_station", 3, "Chi bộ Trạm Y tế {n}"),
    ("police", 4, "Chi bộ Công an {n}"),
    ("military", 3, "Chi bộ Quân sự {n}"),
    ("private_enterprise", 3, "Chi bộ Công ty cổ phần {place} {n}"),
    ("cooperative", 2, "Chi bộ Hợp tác xã {place} {n}"),
)  # fmt: skip

SPEECH_SUMMARIES: tuple[str, ...] = (
    "Đồng ý với dự thảo nghị quyết, đề nghị bổ sung nhiệm vụ vệ sinh môi trường.",
    "Phản ánh ý kiến của nhân dân về tình trạng đường giao thông xuống cấp.",
    "Đề nghị chi bộ phân công đảng viên theo dõi hộ nghèo trên địa bàn.",
    "Báo cáo kết quả thực hiện nhiệm vụ được phân công trong tháng.",
    "Góp ý về công tác phát triển đảng viên trong năm.",
    "Đề xuất tổ chức học tập chuyên đề về đạo đức, lối sống.",
)  # fmt: skip
TOPICS_THEMATIC: tuple[str, ...] = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Công tác chuyển đổi số ở cơ sở",
    "Phòng, chống tham nhũng, tiêu cực",
)  # fmt: skip
