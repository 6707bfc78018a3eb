package io.trendline.streamserver;

/**
 * The words synthetic statuses are made of, per language: frames holding {@code {K}} where a
 * keyword goes (always with separators around it, so CJK text still yields a separate token),
 * fillers without keywords, and names. Written for this project. Frames and fillers that happen to
 * contain a configured keyword are dropped by {@link SyntheticSource} before use.
 */
final class Phrasebook {
  private Phrasebook() {}

  /** One language: its code as in a status's {@code lang}, and its text. */
  static final class Language {
    final String code;
    final int weight;
    final String[] frames;
    final String[] fillers;
    final String[] names;
    final String[] places;

    Language(
        String code,
        int weight,
        String[] frames,
        String[] fillers,
        String[] names,
        String[] places) {
      this.code = code;
      this.weight = weight;
      this.frames = frames;
      this.fillers = fillers;
      this.names = names;
      this.places = places;
    }
  }

  static final String[] EMOJI = {
    "🚀", "🔥", "😂", "👀", "🙏", "💯", "📈", "📉", "🤔", "😳", "🎉", "👇", "✨", "😅", "❤️", "👍🏽",
    "🇧🇷", "🤖"
  };

  /** Hashtags that are not keywords, for colour. */
  static final String[] TAGS = {
    "MondayMotivation",
    "tech",
    "news",
    "startup",
    "travel",
    "music",
    "FridayFeeling",
    "dev",
    "science",
    "photography",
    "OOTD",
    "ThrowbackThursday",
    "gaming",
    "football",
    "coffee"
  };

  static final String[] SOURCES = {
    "<a href=\"http://twitter.com/download/iphone\" rel=\"nofollow\">Twitter for iPhone</a>",
    "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
    "<a href=\"http://twitter.com\" rel=\"nofollow\">Twitter Web Client</a>",
    "<a href=\"https://about.twitter.com/products/tweetdeck\" rel=\"nofollow\">TweetDeck</a>",
    "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Lite</a>"
  };

  static final String[] DESCRIPTIONS = {
    "Opinions are my own. Coffee, code and long walks.",
    "Writer | reader | occasional runner 🏃",
    "Building things on the internet since 2009",
    "Sports, politics and everything in between",
    "Dad of two. Amateur astronomer 🔭",
    "Journalist. DMs open for tips.",
    "Student. Dreamer. Night owl 🦉",
    "Trader by day, guitarist by night 🎸",
    "",
    "Retweets are not endorsements"
  };

  static final String[] COLORS = {"1DA1F2", "E81C4F", "19CF86", "FAB81E", "794BC4", "F45D22"};

  static final Language[] LANGUAGES = {
    new Language(
        "en",
        45,
        new String[] {
          "Just read a long thread about {K} and honestly I have more questions than answers",
          "Is anyone else watching {K} today? Wild times",
          "Our team shipped the {K} integration this morning",
          "{K} is all over my timeline again",
          "Three things I learned about {K} this week:",
          "Can't believe what happened with {K} overnight",
          "New post: why {K} matters for small businesses",
          "Hot take: {K} is overrated. Change my mind",
          "My uncle asked me to explain {K} at dinner. It did not go well",
          "Podcast episode on {K} is out now, link below"
        },
        new String[] {
          "Coffee first, then everything else",
          "The weather here is unreal today",
          "Who else is up this early?",
          "Great meetup last night, thanks everyone!",
          "Reading list for the weekend is getting long",
          "Traffic on the bridge again, send help",
          "This playlist is carrying my whole afternoon",
          "Honestly the best sandwich I have had all year",
          "Back to back meetings until six, wish me luck",
          "Thread below, grab a snack first"
        },
        new String[] {
          "Emma Walsh",
          "Jake Turner",
          "Priya Nair",
          "Marcus Lee",
          "Hannah Cole",
          "Tom Becker",
          "Olivia Grant",
          "Sam Ortiz",
          "Chloe Adams",
          "Daniel Reed"
        },
        new String[] {"London", "Austin, TX", "Toronto", "Sydney", "Dublin", null}),
    new Language(
        "es",
        12,
        new String[] {
          "No paro de leer sobre {K} esta semana",
          "¿Alguien más siguiendo lo de {K} hoy?",
          "Hilo sobre {K} que vale la pena leer",
          "Mi jefe acaba de descubrir {K} y ya no hay quien lo pare"
        },
        new String[] {
          "Buenos días a todos",
          "Qué calor hace hoy en Madrid",
          "Mañana toca madrugar otra vez",
          "Nada como un café con churros"
        },
        new String[] {"Lucía Fernández", "Javier Ruiz", "Camila Torres", "Mateo Gómez"},
        new String[] {"Madrid", "Ciudad de México", "Buenos Aires", null}),
    new Language(
        "pt",
        8,
        new String[] {
          "Alguém mais acompanhando {K} hoje?",
          "Todo mundo falando de {K} de novo",
          "Acabei de ver um vídeo sobre {K} e fiquei impressionado"
        },
        new String[] {"Bom dia, pessoal!", "Que saudade das férias", "Segunda-feira chegou rápido"},
        new String[] {"João Silva", "Ana Souza", "Pedro Oliveira", "Beatriz Lima"},
        new String[] {"São Paulo", "Lisboa", "Rio de Janeiro", null}),
    new Language(
        "fr",
        5,
        new String[] {
          "Tout le monde parle de {K} ce matin", "Un bon article sur {K} à lire absolument"
        },
        new String[] {"Bonne journée à tous !", "Encore des grèves dans le métro aujourd'hui"},
        new String[] {"Chloé Martin", "Louis Bernard", "Inès Dubois"},
        new String[] {"Paris", "Montréal", "Lyon", null}),
    new Language(
        "de",
        4,
        new String[] {
          "Heute wieder viel los rund um {K}", "Spannender Vortrag über {K} gerade eben"
        },
        new String[] {
          "Guten Morgen aus Berlin!", "Endlich Wochenende", "Der Zug hat schon wieder Verspätung"
        },
        new String[] {"Lena Schmidt", "Jonas Müller", "Mia Weber"},
        new String[] {"Berlin", "München", "Wien", null}),
    new Language(
        "ja",
        8,
        new String[] {"今日は {K} の話題でもちきり", "{K} について調べてみた結果", "やっぱり {K} はすごい"},
        new String[] {"おはようございます", "今日は雨ですね", "週末はゆっくり休みたい"},
        new String[] {"佐藤 花子", "田中 太郎", "鈴木 美咲"},
        new String[] {"東京", "大阪", null}),
    new Language(
        "ar",
        6,
        new String[] {"الجميع يتحدث عن {K} اليوم", "مقال رائع عن {K} أنصح بقراءته"},
        new String[] {"صباح الخير للجميع", "جمعة مباركة", "الجو جميل اليوم"},
        new String[] {"أحمد العتيبي", "سارة المالكي", "محمد الشهري"},
        new String[] {"الرياض", "دبي", "القاهرة", null}),
    new Language(
        "hi",
        5,
        new String[] {"आज फिर से {K} की चर्चा हो रही है", "{K} पर एक अच्छा लेख पढ़ा"},
        new String[] {"सुप्रभात दोस्तों", "आज मौसम बहुत अच्छा है"},
        new String[] {"राहुल शर्मा", "प्रिया वर्मा", "अमित कुमार"},
        new String[] {"नई दिल्ली", "Mumbai", null}),
    new Language(
        "ru",
        4,
        new String[] {"Все сегодня обсуждают {K}", "Интересная статья про {K} , рекомендую"},
        new String[] {"Доброе утро всем!", "Снова пробки на МКАДе"},
        new String[] {"Анна Иванова", "Дмитрий Смирнов"},
        new String[] {"Москва", "Санкт-Петербург", null}),
    new Language(
        "tr",
        3,
        new String[] {"Bugün herkes {K} konuşuyor", "{K} hakkında güzel bir yazı okudum"},
        new String[] {"Günaydın herkese", "Hafta sonu nihayet geldi"},
        new String[] {"Elif Yılmaz", "Emre Demir"},
        new String[] {"İstanbul", "Ankara", null}),
    new Language(
        "ko",
        3,
        new String[] {"오늘도 {K} 이야기가 많네요", "{K} 관련 뉴스 정리했습니다"},
        new String[] {"좋은 아침이에요", "오늘 날씨 정말 좋네요"},
        new String[] {"김민준", "이서연"},
        new String[] {"서울", "부산", null})
  };

  /** Known near-misses: tokens that contain or resemble a term but must not match it. */
  static String[] knownNearMisses(String lowerTerm) {
    switch (lowerTerm) {
      case "iot":
        return new String[] {"idiot", "patriot", "riot", "$MIOTA"};
      case "5g":
        return new String[] {"5GHz", "4G", "LTE-5Gx"};
      case "ai":
        return new String[] {"said", "AIR", "maid", "Thai"};
      case "bitcoin":
        return new String[] {"bitcoins", "BitcoinCash", "#newbitcoin"};
      case "btc":
        return new String[] {"BTCUSD", "btc2018"};
      case "trump":
        return new String[] {"trumpet", "Trumpism", "#trumped"};
      case "putin":
        return new String[] {"putting", "Putinism"};
      case "modi":
        return new String[] {"modified", "modify", "Modiji"};
      case "blockchain":
        return new String[] {"blockchains", "#blockchainweek2018"};
      case "ethereum":
        return new String[] {"ethereumclassic", "Ethereum2"};
      default:
        return new String[0];
    }
  }
}
