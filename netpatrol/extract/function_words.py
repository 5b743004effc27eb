"""The commonest function words of each EU language: a vote that settles most page texts
before lingua is asked.

A page's first 800 characters hold dozens of articles, prepositions and conjunctions.
When one language's words outnumber every other's several times over, lingua would name
the same language (checked on every text of ../shared/data, see ``docs/performance.md``)
at a twentieth of the cost. Words two languages share ("de", "en", "a", "je") vote for
both, so close languages (Czech and Slovak, Danish and Swedish) rarely clear the margin
and go to lingua, which tells them apart. Written for this project from the languages'
grammars; no outside list.
"""

from __future__ import annotations

FUNCTION_WORDS: dict[str, str] = {
    "bg": "и на в за да се с от е са по не че това като до които който ще но или при той "
    "тя те ние вие много със във",
    "cs": "a v na se je s z do o k že to pro by jako ale jsou od po také nebo jeho které "
    "který jak při ve ze si už jen však bude jsme",
    "da": "og at det som en et er af for på med til den har ikke om de vi du kan fra eller "
    "ved sig så jeg vores også skal være efter",
    "de": "der die das und ist mit für von zu den dem des ein eine einen auf im nicht sie "
    "wir auch oder bei aus sich werden wird nach ihre unsere ihr sind kann zum zur",
    "el": "και το η ο της την του των σε να για με από τα οι είναι ένα μια στο στην θα "
    "δεν στα στις που",
    "en": "the and of to in is for with on you this that are it your from by be or as at "
    "our we have not all can will more an",
    "es": "el la los las de del y en un una es por para con que se su sus al lo más o no "
    "como este esta muy pero",
    "et": "ja on ei et see kui ka või mis oma aga siis ning kõik nii veel olla seda ta nad "
    "oli tema mida ning ole",
    "fi": "ja on ei se että tai kun mutta myös ovat oli olla tämä joka kanssa sekä voi "
    "mukaan kaikki jo niin vain ole tämän",
    "fr": "le la les de des du et en un une est pour dans sur au aux avec par qui que vous "
    "nous pas plus ce cette ou son sa ses votre vos",
    "ga": "agus an na ar is le i don a go sa ag ní bhí mar tá sé sí ina atá seo sin chun ach",
    "hr": "i je u na za da se su s od do po koji koja što ili kao bi nije ali te sa biti će "
    "iz kako",
    "hu": "a az és hogy nem is egy van meg de ez csak már el még mint vagy volt kell ki "
    "fel minden ha sem",
    "it": "il lo la i gli le di del della dei e è in un una per con che non da al alla su "
    "sono più questo anche",
    "lt": "ir su kad iš į bet ar tai kaip jo yra už nuo apie tik dar o kas per mes jūs jūsų prie",
    "lv": "un ir ar no uz par kas lai vai bet arī tas tā ka pie jūs mēs nav var pēc savu kā",
    "nl": "de het een en van in is op met voor te niet dat die zijn aan ook bij om naar uw "
    "je wij we of door als nog meer deze",
    "pl": "i w z na do się nie jest to że od dla po o a jak przez ale czy za oraz jego są "
    "tym ze tak",
    "pt": "o a os as de do da dos das e em no na nos um uma é para com por que se seu sua "
    "mais não ao pelo pela",
    "ro": "și de la în cu pe care este nu un o din pentru se să ce mai sunt ca sau fi al ale lui",
    "sk": "a v na sa je s z do o k že to pre by ako ale sú od po aj alebo jeho ktoré "
    "ktorý pri vo zo si už len však bude sme",
    "sl": "in je na v za da se so z s pri ki po od do tudi ali kot bo ni pa lahko te to kar",
    "sv": "och att det som en ett är av för på med till den har inte om de vi du kan från "
    "eller vid sig så jag vår också ska vara efter",
}

# word -> the languages it is a function word of
VOTERS: dict[str, tuple[str, ...]] = {}
for _language, _words in FUNCTION_WORDS.items():
    for _word in dict.fromkeys(_words.split()):
        VOTERS[_word] = (*VOTERS.get(_word, ()), _language)
