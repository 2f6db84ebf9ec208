#include "lockstep/sim/world.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace lockstep {

// ---------------------------------------------------------------- Rng

namespace {
uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t st = seed;
  for (uint64_t& s : s_) s = SplitMix(&st);
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

uint64_t Rng::Below(uint64_t n) {
  // Lemire's multiply-shift; the bias is below 2^-40 for our ranges.
  return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
}

int64_t Rng::Range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1)); }
double Rng::Between(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
bool Rng::Chance(double p) { return Uniform() < p; }

double Rng::Normal() {
  double u1 = Uniform();
  if (u1 < 1e-300) u1 = 1e-300;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * M_PI * Uniform());
}

double Rng::Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }
double Rng::LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }

uint64_t Rng::Poisson(double mean) {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const double l = std::exp(-mean);
    uint64_t k = 0;
    double p = Uniform();
    while (p > l) {
      ++k;
      p *= Uniform();
    }
    return k;
  }
  const double x = std::round(mean + std::sqrt(mean) * Normal());
  return x < 0 ? 0 : static_cast<uint64_t>(x);
}

Rng Rng::Fork(uint64_t stream) const { return Rng(Mix64(seed_ ^ Mix64(stream + 0x632be59bd9b4e019ULL))); }

// ---------------------------------------------------------------- Countries

namespace {
constexpr CountryInfo kCountries[] = {
    {"US", -5, "en", "New York", "USD", 20}, {"GB", 0, "en", "London", "GBP", 6},
    {"DE", 1, "de", "Berlin", "EUR", 5},     {"FR", 1, "fr", "Paris", "EUR", 5},
    {"ES", 1, "es", "Madrid", "EUR", 3},     {"BR", -3, "pt", "São Paulo", "BRL", 8},
    {"MX", -6, "es", "Ciudad de México", "MXN", 5}, {"IN", 5.5, "en", "Mumbai", "INR", 10},
    {"PK", 5, "en", "Karachi", "PKR", 3},    {"NG", 1, "en", "Lagos", "NGN", 4},
    {"EG", 2, "ar", "Cairo", "EGP", 3},      {"RU", 3, "ru", "Moscow", "RUB", 5},
    {"UA", 2, "ru", "Kyiv", "UAH", 2},       {"TR", 3, "tr", "Istanbul", "TRY", 3},
    {"IR", 3.5, "en", "Tehran", "IRR", 2},   {"ID", 7, "id", "Jakarta", "IDR", 6},
    {"PH", 8, "en", "Manila", "PHP", 4},     {"JP", 9, "en", "Tokyo", "JPY", 4},
    {"AU", 10, "en", "Sydney", "AUD", 2},    {"KE", 3, "en", "Nairobi", "KES", 1.5},
    {"VN", 7, "en", "Hanoi", "VND", 2},      {"BD", 6, "en", "Dhaka", "BDT", 2},
    {"NP", 5.75, "en", "Kathmandu", "NPR", 0.5}, {"AR", -3, "es", "Buenos Aires", "ARS", 2},
};

// Small vocabularies; enough that two unrelated texts rarely share more than a few words.
constexpr std::string_view kEnglish[] = {
    "the", "a", "this", "today", "people", "government", "election", "vote", "city", "news", "great", "new",
    "finally", "why", "we", "they", "you", "need", "must", "never", "again", "week", "morning", "tonight", "game",
    "team", "win", "lost", "price", "fuel", "school", "kids", "coffee", "rain", "traffic", "train", "late", "love",
    "hate", "movie", "music", "album", "concert", "health", "doctor", "hospital", "police", "court", "minister",
    "president", "party", "policy", "tax", "jobs", "market", "bank", "money", "rent", "house", "family", "friend",
    "birthday", "weekend", "holiday", "beach", "food", "dinner", "recipe", "football", "cricket", "match", "goal",
    "season", "climate", "energy", "power", "water", "farm", "border", "war", "peace", "truth", "lies", "media",
    "report", "story", "photo", "video", "live", "watch", "read", "thread", "update", "breaking", "officials",
    "protest", "rights", "freedom", "corruption", "scandal", "economy", "inflation", "workers", "strike", "union",
    "phone", "app", "internet", "data", "science", "space", "launch", "study", "university", "students", "exam",
    "church", "prayer", "god", "blessed", "happy", "sad", "angry", "crazy", "amazing", "terrible", "honestly",
    "literally", "really", "just", "still", "already", "tomorrow", "yesterday", "local", "national", "world",
};
constexpr std::string_view kSpanish[] = {
    "el", "la", "hoy", "gente", "gobierno", "elecciones", "voto", "ciudad", "noticias", "nuevo", "por", "qué",
    "nosotros", "ellos", "nunca", "semana", "mañana", "noche", "partido", "equipo", "ganar", "precio", "escuela",
    "niños", "café", "lluvia", "tráfico", "amor", "música", "salud", "hospital", "policía", "presidente", "política",
    "impuestos", "trabajo", "mercado", "dinero", "casa", "familia", "amigos", "fin", "playa", "comida", "fútbol",
    "gol", "clima", "energía", "agua", "frontera", "paz", "verdad", "mentiras", "medios", "video", "foto",
    "protesta", "derechos", "libertad", "corrupción", "economía", "inflación", "huelga", "universidad", "feliz",
    "triste", "increíble", "terrible", "ayer", "mundo", "país", "pueblo",
};
constexpr std::string_view kPortuguese[] = {
    "o", "a", "hoje", "povo", "governo", "eleição", "voto", "cidade", "notícias", "novo", "porque", "nós", "eles",
    "nunca", "semana", "manhã", "noite", "jogo", "time", "vitória", "preço", "escola", "crianças", "café", "chuva",
    "trânsito", "amor", "música", "saúde", "hospital", "polícia", "presidente", "política", "impostos", "trabalho",
    "mercado", "dinheiro", "casa", "família", "amigos", "praia", "comida", "futebol", "gol", "clima", "energia",
    "água", "verdade", "mentira", "mídia", "vídeo", "foto", "protesto", "direitos", "liberdade", "corrupção",
    "economia", "inflação", "greve", "feliz", "triste", "incrível", "ontem", "mundo", "país", "Brasil",
};
constexpr std::string_view kFrench[] = {
    "le", "la", "aujourd'hui", "gens", "gouvernement", "élection", "vote", "ville", "nouvelles", "nouveau",
    "pourquoi", "nous", "ils", "jamais", "semaine", "matin", "soir", "match", "équipe", "gagner", "prix", "école",
    "enfants", "café", "pluie", "trafic", "amour", "musique", "santé", "hôpital", "police", "président",
    "politique", "impôts", "travail", "marché", "argent", "maison", "famille", "amis", "plage", "repas", "football",
    "climat", "énergie", "eau", "vérité", "mensonges", "médias", "vidéo", "photo", "grève", "droits", "liberté",
    "corruption", "économie", "inflation", "heureux", "triste", "incroyable", "hier", "monde", "pays",
};
constexpr std::string_view kGerman[] = {
    "der", "die", "das", "heute", "Leute", "Regierung", "Wahl", "Stadt", "Nachrichten", "neu", "warum", "wir",
    "sie", "nie", "Woche", "Morgen", "Abend", "Spiel", "Mannschaft", "gewinnen", "Preis", "Schule", "Kinder",
    "Kaffee", "Regen", "Stau", "Bahn", "Verspätung", "Liebe", "Musik", "Gesundheit", "Krankenhaus", "Polizei",
    "Kanzler", "Politik", "Steuern", "Arbeit", "Markt", "Geld", "Miete", "Familie", "Freunde", "Urlaub", "Essen",
    "Fußball", "Tor", "Klima", "Energie", "Wasser", "Wahrheit", "Lügen", "Medien", "Video", "Foto", "Streik",
    "Rechte", "Freiheit", "Wirtschaft", "Inflation", "glücklich", "traurig", "unglaublich", "gestern", "Welt",
};
constexpr std::string_view kRussian[] = {
    "сегодня", "люди", "правительство", "выборы", "голос", "город", "новости", "новый", "почему", "мы", "они",
    "никогда", "неделя", "утро", "вечер", "игра", "команда", "победа", "цена", "школа", "дети", "кофе", "дождь",
    "пробки", "любовь", "музыка", "здоровье", "больница", "полиция", "президент", "политика", "налоги", "работа",
    "рынок", "деньги", "дом", "семья", "друзья", "отпуск", "еда", "футбол", "гол", "климат", "энергия", "вода",
    "правда", "ложь", "СМИ", "видео", "фото", "протест", "права", "свобода", "коррупция", "экономика",
    "инфляция", "забастовка", "счастлив", "грустно", "невероятно", "вчера", "мир", "страна",
};
constexpr std::string_view kTurkish[] = {
    "bugün", "insanlar", "hükümet", "seçim", "oy", "şehir", "haber", "yeni", "neden", "biz", "onlar", "asla",
    "hafta", "sabah", "akşam", "maç", "takım", "kazanmak", "fiyat", "okul", "çocuklar", "kahve", "yağmur", "trafik",
    "aşk", "müzik", "sağlık", "hastane", "polis", "başkan", "siyaset", "vergi", "iş", "piyasa", "para", "ev",
    "aile", "arkadaşlar", "tatil", "yemek", "futbol", "gol", "iklim", "enerji", "su", "gerçek", "yalan", "medya",
    "video", "fotoğraf", "protesto", "haklar", "özgürlük", "yolsuzluk", "ekonomi", "enflasyon", "mutlu", "üzgün",
    "dün", "dünya", "ülke",
};
constexpr std::string_view kIndonesian[] = {
    "hari", "ini", "orang", "pemerintah", "pemilu", "suara", "kota", "berita", "baru", "kenapa", "kami", "mereka",
    "tidak", "pernah", "minggu", "pagi", "malam", "pertandingan", "tim", "menang", "harga", "sekolah", "anak",
    "kopi", "hujan", "macet", "cinta", "musik", "kesehatan", "rumah", "sakit", "polisi", "presiden", "politik",
    "pajak", "kerja", "pasar", "uang", "keluarga", "teman", "libur", "makanan", "sepak", "bola", "iklim", "energi",
    "air", "kebenaran", "bohong", "media", "video", "foto", "demo", "hak", "kebebasan", "korupsi", "ekonomi",
    "inflasi", "senang", "sedih", "kemarin", "dunia", "negara",
};
constexpr std::string_view kArabic[] = {
    "اليوم", "الناس", "الحكومة", "الانتخابات", "صوت", "المدينة", "أخبار", "جديد", "لماذا", "نحن", "هم", "أبدا",
    "الأسبوع", "صباح", "مساء", "مباراة", "فريق", "فوز", "سعر", "مدرسة", "أطفال", "قهوة", "مطر", "زحمة", "حب",
    "موسيقى", "صحة", "مستشفى", "شرطة", "رئيس", "سياسة", "ضرائب", "عمل", "سوق", "مال", "بيت", "عائلة", "أصدقاء",
    "طعام", "كرة", "مناخ", "طاقة", "ماء", "حقيقة", "كذب", "إعلام", "فيديو", "صورة", "احتجاج", "حقوق", "حرية",
    "فساد", "اقتصاد", "تضخم", "سعيد", "حزين", "أمس", "العالم", "البلد",
};

std::span<const std::string_view> Vocabulary(std::string_view language) {
  if (language == "es") return kSpanish;
  if (language == "pt") return kPortuguese;
  if (language == "fr") return kFrench;
  if (language == "de") return kGerman;
  if (language == "ru") return kRussian;
  if (language == "tr") return kTurkish;
  if (language == "id") return kIndonesian;
  if (language == "ar") return kArabic;
  return kEnglish;
}

constexpr std::string_view kFirstNames[] = {
    "James", "Maria", "Ahmed", "Olga", "Chen", "Fatima", "John", "Ana", "Mohammed", "Elena", "David", "Aisha",
    "Luis", "Sofia", "Ivan", "Priya", "Daniel", "Yuki", "Emeka", "Sarah", "Ali", "Laura", "Pedro", "Nadia",
    "Kevin", "Chloe", "Raj", "Amina", "Sergei", "Lucia", "Tom", "Mei", "Oluwaseun", "Anna", "Carlos", "Zeynep",
    "Michael", "Julia", "Hassan", "Irina", "Ben", "Grace", "Arjun", "Leila", "Marco", "Emma", "Dmitri", "Rosa",
};
constexpr std::string_view kLastNames[] = {
    "Smith", "Garcia", "Khan", "Ivanova", "Wang", "Okafor", "Müller", "Silva", "Hassan", "Kowalski", "Nguyen",
    "Santos", "Petrov", "Sharma", "Brown", "Rossi", "Yilmaz", "Tanaka", "Lopez", "Dubois", "Ali", "Martin",
    "Schmidt", "Costa", "Popescu", "Kim", "Mensah", "Novak", "Fernandez", "Kuznetsov", "Jones", "Rahman",
};
constexpr std::string_view kNameWords[] = {
    "Daily", "Voice", "Truth", "Nation", "Free", "People", "Patriot", "Update", "Watch", "Today", "Club",
    "Community", "Life", "Style", "Hub", "Network", "Media", "Times", "Post", "Report", "Garden", "Coffee",
    "Auto", "Home", "Fitness", "Travel", "Kitchen", "Fans", "United", "Forum", "Circle", "Square",
};
constexpr const char* kEmailDomains[] = {"gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com",
                                         "hotmail.com", "icloud.com", "proton.me"};
constexpr const char* kUserAgents[] = {
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 Chrome/114.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/115.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/16.5 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 Chrome/113.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"};

}  // namespace

std::span<const char* const> CommonEmailDomains() { return kEmailDomains; }
std::span<const char* const> CommonUserAgents() { return kUserAgents; }

std::span<const CountryInfo> Countries() { return kCountries; }

int CountryIndex(std::string_view code) {
  for (size_t i = 0; i < std::size(kCountries); ++i)
    if (code == kCountries[i].code) return static_cast<int>(i);
  return -1;
}

std::string_view Name(Platform p) {
  switch (p) {
    case Platform::kFacebook: return "facebook";
    case Platform::kInstagram: return "instagram";
    case Platform::kTwitter: return "twitter";
  }
  return "twitter";
}

// ---------------------------------------------------------------- World

World::World(uint64_t seed, int64_t start, int days, double scale)
    : seed_(seed), start_(start), days_(days), scale_(scale) {
  recent_.capacity = 16384;
  popular_.capacity = 2048;
  outlet_.capacity = 1024;
  ip_groups_.push_back(IpGroup{});  // 0: every account's own home line
}

uint32_t World::AddAccount(SimAccount account) {
  const uint32_t index = static_cast<uint32_t>(accounts_.size());
  // A bijective hash of the index keeps ids unique and unordered.
  account.id = Mix64(index ^ Mix64(seed_));
  accounts_.push_back(account);
  return index;
}

uint32_t World::RandomPerson(Rng& rng, int64_t time) const {
  if (people_.empty()) return kNoAccountIndex;
  for (int i = 0; i < 8; ++i) {
    const uint32_t a = people_[rng.Below(people_.size())];
    if (accounts_[a].created_at <= time) return a;
  }
  return kNoAccountIndex;
}

uint32_t World::AddNetwork(std::string name) {
  network_names_.push_back(std::move(name));
  return static_cast<uint32_t>(network_names_.size());
}

std::string World::Handle(uint32_t account, int version) const {
  const SimAccount& a = accounts_[account];
  const uint64_t h = Mix64(a.name_seed + static_cast<uint64_t>(version) * 0x9e37ULL);
  switch (a.persona) {
    case Persona::kPerson:
    case Persona::kJournalist:
    case Persona::kCelebrity: {
      const auto first = kFirstNames[h % std::size(kFirstNames)];
      const auto last = kLastNames[(h >> 8) % std::size(kLastNames)];
      switch ((h >> 16) % 4) {
        case 0: return fmt::format("{}{}{}", first, last, (h >> 20) % 1000);
        case 1: return fmt::format("{}_{}", first, last).append(std::to_string((h >> 24) % 100));
        case 2: return fmt::format("{}{}", std::string(first.substr(0, 1)), last).append(std::to_string((h >> 28) % 10000));
        default: return fmt::format("{}{:08}", first, (h >> 32) % 100000000);
      }
    }
    default:
      return fmt::format("{}{}{}", kNameWords[h % std::size(kNameWords)], kNameWords[(h >> 8) % std::size(kNameWords)],
                         (h >> 16) % 1000);
  }
}

std::string World::DisplayName(uint32_t account, int version) const {
  const SimAccount& a = accounts_[account];
  const uint64_t h = Mix64(a.name_seed + static_cast<uint64_t>(version) * 0x9e37ULL);
  switch (a.persona) {
    case Persona::kPerson:
    case Persona::kJournalist:
    case Persona::kCelebrity:
      return fmt::format("{} {}", kFirstNames[h % std::size(kFirstNames)], kLastNames[(h >> 8) % std::size(kLastNames)]);
    case Persona::kOutlet:
      return fmt::format("{} {}", kNameWords[(h >> 4) % std::size(kNameWords)], "News");
    default:
      return fmt::format("{} {} {}", kNameWords[h % std::size(kNameWords)], kNameWords[(h >> 8) % std::size(kNameWords)],
                         Countries()[a.claimed_country].city);
  }
}

std::string World::AccountIdString(uint32_t account) const { return std::to_string(accounts_[account].id); }
std::string World::EventIdString(uint64_t id) { return fmt::format("{:016x}", id); }
std::string World::HexString(uint64_t v) { return fmt::format("{:016x}", v); }
std::string World::IpString(uint32_t ip) {
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

int64_t World::LocalToUtc(int day, double local_seconds, double offset_hours) const {
  return DayStart(day) + static_cast<int64_t>(std::floor(local_seconds - offset_hours * 3600.0));
}

double World::DrawSecondOfDay(Rng& rng, const std::array<double, 24>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = rng.Uniform() * total;
  int h = 0;
  for (; h < 23; ++h) {
    if (x < weights[h]) break;
    x -= weights[h];
  }
  return h * 3600.0 + rng.Uniform() * 3600.0;
}

const std::array<double, 24>& World::HumanRhythm() {
  static const std::array<double, 24> kRhythm = {1.5, 0.9, 0.5, 0.3, 0.25, 0.35, 0.8, 1.6, 2.5, 3.0, 3.2, 3.3,
                                                 3.6, 3.5, 3.3, 3.3, 3.5, 3.8, 4.2, 4.6, 4.9, 4.8, 3.8, 2.6};
  return kRhythm;
}

SimEvent& World::Emit(int64_t time, uint32_t account, EventType type) {
  SimEvent& e = events_.emplace_back();
  e.time = std::max(time, DayStart(today_));
  e.id = NewEventId();
  e.account = account;
  e.type = type;
  return e;
}

void World::Infra(int64_t time, uint32_t account, InfraKind kind, std::string_view value, int country) {
  infra_.push_back(InfraRow{time, account, kind, std::string(value), country});
}

void World::ProfileChange(int64_t time, uint32_t account, ProfileField field, std::string_view old_value,
                          std::string_view new_value) {
  profile_.push_back(ProfileRow{time, account, field, std::string(old_value), std::string(new_value)});
}

void World::Rename(int64_t time, uint32_t account) {
  SimAccount& a = accounts_[account];
  if (a.name_version == 255) return;
  const int v = a.name_version;
  ProfileChange(time, account, ProfileField::kDisplayName, DisplayName(account, v), DisplayName(account, v + 1));
  if (v % 2 == 1) ProfileChange(time, account, ProfileField::kHandle, Handle(account, v), Handle(account, v + 1));
  a.name_version = static_cast<uint8_t>(v + 1);
}

void World::Ad(int64_t time, uint32_t account, double spend, std::string_view currency) {
  ads_.push_back(AdRow{time, account, spend, std::string(currency)});
}

void World::Pool::Add(PostRef p) {
  if (items.size() < capacity) {
    items.push_back(std::move(p));
  } else {
    items[next] = std::move(p);
    next = (next + 1) % capacity;
  }
}

const PostRef* World::RecentPost(Rng& rng) const {
  return recent_.items.empty() ? nullptr : &recent_.items[rng.Below(recent_.items.size())];
}
const PostRef* World::PopularPost(Rng& rng) const {
  return popular_.items.empty() ? RecentPost(rng) : &popular_.items[rng.Below(popular_.items.size())];
}
const PostRef* World::OutletPost(Rng& rng) const {
  return outlet_.items.empty() ? nullptr : &outlet_.items[rng.Below(outlet_.items.size())];
}

void World::Remember(const SimEvent& e) {
  if (e.type != EventType::kPost) return;
  const SimAccount& a = accounts_[e.account];
  if (a.kind == AccountKind::kGroup) return;
  PostRef p{e.id, e.account, e.time, e.urls};
  if (a.persona == Persona::kOutlet) outlet_.Add(p);
  if (a.followers >= 5000 || a.persona == Persona::kOutlet || a.persona == Persona::kCelebrity) popular_.Add(p);
  recent_.Add(std::move(p));
}

void World::FlushDay(SimOutput& out, bool last) {
  const int64_t limit = last ? INT64_MAX : DayStart(today_ + 1);
  std::sort(events_.begin(), events_.end(),
            [](const SimEvent& a, const SimEvent& b) { return a.time != b.time ? a.time < b.time : a.id < b.id; });
  size_t n = 0;
  while (n < events_.size() && events_[n].time < limit) ++n;
  for (size_t i = 0; i < n; ++i) {
    if (!last && events_[i].time >= end()) continue;  // beyond the run: dropped
    out.WriteEvent(events_[i]);
    Remember(events_[i]);
  }
  if (last) {
    events_.clear();
  } else {
    events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  std::sort(infra_.begin(), infra_.end(), [](const InfraRow& a, const InfraRow& b) { return a.time < b.time; });
  for (const InfraRow& r : infra_) out.WriteInfra(r.time, r.account, r.kind, r.value, r.country);
  infra_.clear();
  for (const ProfileRow& r : profile_) out.WriteProfileChange(r.time, r.account, r.field, r.old_value, r.new_value);
  profile_.clear();
  for (const AdRow& r : ads_) out.WriteAd(r.time, r.account, r.spend, r.currency);
  ads_.clear();
  // Follower counts of tracked accounts every two weeks.
  if (today_ % 14 == 0) {
    const int64_t t = DayStart(today_) + 12 * 3600;
    for (uint32_t i = 0; i < accounts_.size(); ++i) {
      const SimAccount& a = accounts_[i];
      if (!a.tracked || a.created_at > t) continue;
      const int64_t base = a.followers - a.spike_followers;
      const double frac = std::clamp(static_cast<double>(t - a.created_at + 86400) /
                                         static_cast<double>(end() - a.created_at + 86400), 0.0, 1.0);
      int64_t f = static_cast<int64_t>(static_cast<double>(base) * std::pow(frac, 0.8));
      if (a.spike_time != kNoTime && t >= a.spike_time) f += a.spike_followers;
      out.WriteFollowers(t, i, f);
    }
  }
}

// ---------------------------------------------------------------- Texts

std::string World::Text(Rng& rng, std::string_view language, int min_words, int max_words) const {
  auto vocab = Vocabulary(language);
  const int n = static_cast<int>(rng.Range(min_words, max_words));
  std::string s;
  s.reserve(static_cast<size_t>(n) * 8);
  for (int i = 0; i < n; ++i) {
    if (i > 0) s += (rng.Chance(0.04) ? ", " : " ");
    std::string_view w = vocab[rng.Below(vocab.size())];
    if (i == 0 && rng.Chance(0.06)) {
      s += '"';
      s += w;
      s += '"';
    } else {
      s += w;
    }
  }
  const double r = rng.Uniform();
  if (r < 0.5) s += '.';
  else if (r < 0.65) s += '!';
  else if (r < 0.75) s += '?';
  else if (r < 0.78) s += "\nso true";
  return s;
}

namespace {
std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j > i) words.push_back(text.substr(i, j - i));
    i = j;
  }
  return words;
}
std::string JoinWords(const std::vector<std::string_view>& words) {
  std::string s;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) s += ' ';
    s += words[i];
  }
  return s;
}
constexpr std::string_view kSuffixes[] = {"!!", " 👏", " 🔥", " 💯", "...", " !!!", " 👇", " #truth"};
}  // namespace

std::string World::LightEdit(Rng& rng, std::string_view text, std::string_view language) const {
  auto vocab = Vocabulary(language);
  std::vector<std::string_view> words = SplitWords(text);
  if (words.size() > 3) {
    const double r = rng.Uniform();
    const size_t i = rng.Below(words.size());
    if (r < 0.35) words[i] = vocab[rng.Below(vocab.size())];
    else if (r < 0.55) words.erase(words.begin() + static_cast<std::ptrdiff_t>(i));
    else if (r < 0.75 && i + 1 < words.size()) std::swap(words[i], words[i + 1]);
  }
  std::string s = JoinWords(words);
  if (rng.Chance(0.4)) s += kSuffixes[rng.Below(std::size(kSuffixes))];
  return s;
}

std::string World::Paraphrase(Rng& rng, std::string_view text, std::string_view language, double fraction) const {
  auto vocab = Vocabulary(language);
  std::vector<std::string_view> words = SplitWords(text);
  for (auto& w : words)
    if (rng.Chance(fraction)) w = vocab[rng.Below(vocab.size())];
  if (words.size() > 4 && rng.Chance(0.5)) {
    const size_t i = rng.Below(words.size() - 1);
    std::swap(words[i], words[i + 1]);
  }
  return JoinWords(words);
}

const char* World::DefaultClient(const SimAccount& a) {
  static const char* kTwitter[] = {"Twitter for iPhone", "Twitter for Android", "Twitter Web App", "TweetDeck"};
  static const char* kFacebook[] = {"Facebook for Android", "Facebook for iPhone", "Facebook Web"};
  static const char* kInstagram[] = {"Instagram for Android", "Instagram for iPhone"};
  const uint64_t h = Mix64(a.name_seed ^ 0xc1u);
  switch (a.platform) {
    case Platform::kTwitter: return kTwitter[h % (h % 7 == 0 ? 4 : 3)];
    case Platform::kFacebook: return kFacebook[h % 3];
    case Platform::kInstagram: return kInstagram[h % 2];
  }
  return kTwitter[0];
}

const char* World::LanguageOf(const SimAccount& a) { return Countries()[a.claimed_country].language; }

}  // namespace lockstep
