"""Names for the load data set: common English first names and surnames (Smith about one in
a hundred, with Smithson and Goldsmith, so that a search for "smith" finds a few hundred)."""

FIRST_NAMES = """Oliver George Harry Jack Jacob Noah Charlie Thomas Oscar William James Leo Alfie
Henry Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Logan Lucas Daniel
Theo Arthur Mohammed Harrison Benjamin Mason Finley Sebastian Adam Dylan Zachary Riley Teddy
Olivia Amelia Isla Ava Emily Sophia Grace Mia Poppy Ella Lily Evie Isabella Sophie Ivy Freya
Harper Willow Charlotte Jessica Rosie Daisy Alice Florence Ruby Matilda Millie Sienna Phoebe
Evelyn Elsie Emma Margaret Dorothy Joan Priya Aisha Mei Wei Ana Chen Ben Ines Kofi Amara""".split()

LAST_NAMES = (
    """Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood
Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James
Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter
Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson
Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt
Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker
Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson
Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence
Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant
Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe
Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson
Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry
Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton
Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss
McCarthy Chambers Lucas Whitfield Chen Wang Nowak Kowalski Silva Santos Okafor Mensah""".split()
    + ["Smith"] * 3
    + ["Smithson", "Goldsmith"]
)

STREETS = """Riverside Hilltop Meadow Station Church Park Mill Bridge Orchard Willow Castle
Market Harbour Elm Oak""".split()
