print("chapter1")
